import { ClusterScale } from '../../control-plane/sizing';

/** What the checks need to know that objects do not say. */
export interface GoodPracticesOptions {
  /**
   * The cluster's scale: DRA009 compares kube-controller-manager (and kube-scheduler) client
   * QPS/burst with `ControlPlaneSizing.recommend(scale)`.
   * @default - DRA009 does not run, and the report says so
   */
  readonly scale?: ClusterScale;

  /**
   * The oldest kubelet version in the cluster (`1.33`, `v1.32.4`). DRA002 rejects seamless
   * upgrades (`maxSurge > 0`) below 1.33; no object tells kubelet versions apart.
   * @default - not declared: seamless upgrades are not checked against it, and the report says so
   */
  readonly minKubeletVersion?: string;
  /**
   * The Kubernetes version of the cluster (`1.34`, `v1.35.1`; 1.34 or later): which API
   * versions it serves by default (DRA008 evaluates ResourceSlice policies through them,
   * DRA012 flags objects of versions it does not serve), and whether claim status writes are
   * authorized per node (1.36+, DRA014).
   * @default '1.34'
   */
  readonly kubernetesVersion?: string;

  /**
   * Subjects that count as cluster admins, as `Kind:name` (`Group:platform-admins`,
   * `User:alice`, `ServiceAccount:argocd:argocd-application-controller`).
   * `Group:system:masters` and Kubernetes components (`system:` users and groups other than
   * `system:authenticated`, `system:unauthenticated`, `system:anonymous` and
   * `system:serviceaccounts*`) always count.
   * @default []
   */
  readonly adminSubjects?: string[];

  /**
   * ServiceAccounts of DRA drivers not deployed as a DaemonSet in the checked objects, as
   * `namespace:name` (e.g. a driver's controller that publishes network ResourceSlices).
   * ServiceAccounts of driver DaemonSets, and those a node-restricting ResourceSlice policy
   * names, are recognised without this.
   * @default []
   */
  readonly driverServiceAccounts?: string[];

  /**
   * The namespace objects without `metadata.namespace` are applied to (what
   * `kubectl apply -n` or `helm install --namespace` gives them): used to match a
   * DaemonSet's ServiceAccount with RBAC subjects.
   * @default 'default'
   */
  readonly defaultNamespace?: string;

  /**
   * hostPath directories, besides any path ending in `/plugins_registry`, that mark a
   * DaemonSet as a DRA driver's kubelet plugin (its kubelet plugin registration directory).
   * @default []
   */
  readonly registrationDirs?: string[];
}
