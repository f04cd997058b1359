/** The value of `app.kubernetes.io/part-of` on every object this library makes. */
export const PART_OF = 'cdk8s-dra';

/** The value of `app.kubernetes.io/managed-by` on every object this library makes. */
export const MANAGED_BY = 'cdk8s';

/**
 * The recommended `app.kubernetes.io/*` labels for an object of this library.
 *
 * @param name what the object belongs to (a driver's name, `dra-rbac`, ...)
 * @param component its role within that (`kubelet-plugin`, `admission-guard`, ...)
 */
export function standardLabels(name: string, component: string): { [key: string]: string } {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}
