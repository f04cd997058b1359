/**
 * A driver's object-name prefix and namespace, from its props. Internal: DraDriver names its
 * objects with it, and DraCluster knows which drivers share a namespace before creating them.
 */
export function driverNaming(props: { driverName: string; name?: string; namespace?: string }): { name: string; namespace: string } {
  const name = props.name ?? props.driverName.replace(/\./g, '-');
  return { name, namespace: props.namespace ?? name };
}
