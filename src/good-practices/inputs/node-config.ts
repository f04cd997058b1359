/**
 * Node configuration files that are not Kubernetes objects but set control-plane flags:
 * k3s/RKE2 `config.yaml` (and `config.yaml.d/*.yaml` drop-ins) and Talos machine configs or
 * patches. They are recognised by their shape.
 */
export enum NodeConfigType {
  /** k3s or RKE2 `config.yaml`: `kube-apiserver-arg`, `kube-controller-manager-arg`, `kube-scheduler-arg` (and their `+` forms). */
  RANCHER = 'rancher',
  /** Talos machine config or patch: `cluster.apiServer` / `cluster.controllerManager` / `cluster.scheduler`. */
  TALOS = 'talos',
}

/** The k3s/RKE2 keys that carry control-plane flags; `<key>+` appends to what earlier files set. */
const RANCHER_ARG_KEYS = ['kube-apiserver-arg', 'kube-controller-manager-arg', 'kube-scheduler-arg'];

/** Keys only RKE2 reads (it runs the components as static Pods). */
const RKE2_ONLY_KEY = /^kube-[a-z-]+-extra-(mount|env)\+?$/;

/** Which node config the document is, or undefined (a Kubernetes object, or anything else). */
export function nodeConfigType(value: unknown): NodeConfigType | undefined {
  if (!isMap(value) || (typeof value.apiVersion === 'string' && typeof value.kind === 'string')) return undefined;
  if (Object.keys(value).some(key => RANCHER_ARG_KEYS.includes(key.replace(/\+$/, '')))) return NodeConfigType.RANCHER;
  const cluster = value.cluster;
  const components = isMap(cluster) ? [cluster.apiServer, cluster.controllerManager, cluster.scheduler] : [];
  if (components.some(component => component !== undefined)) return NodeConfigType.TALOS;
  return undefined;
}

/**
 * What a node config is, as the report names it in place of a kind: `k3s config`,
 * `RKE2 config` (by its path under `rancher/rke2/`, or RKE2-only keys), `k3s/RKE2 config`
 * when nothing tells them apart, `Talos machine config`.
 */
export function nodeConfigKind(value: unknown, file?: string): string | undefined {
  const type = nodeConfigType(value);
  if (type === NodeConfigType.TALOS) return 'Talos machine config';
  if (type !== NodeConfigType.RANCHER) return undefined;
  const where = (file ?? '').replace(/\\/g, '/');
  if (/(^|\/)rancher\/rke2\//.test(where) || Object.keys(value as object).some(key => RKE2_ONLY_KEY.test(key))) return 'RKE2 config';
  if (/(^|\/)rancher\/k3s\//.test(where)) return 'k3s config';
  return 'k3s/RKE2 config';
}

function isMap(value: unknown): value is { [key: string]: any } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
