/**
 * An object a driver ships besides what DraDriver makes (its CRDs, a NetworkAttachmentDefinition,
 * a configuration ConfigMap): made under the DraDriver with its labels and, unless
 * cluster-scoped, in its namespace; refused like DraDriver's own objects when another
 * object of the app has its group, kind, namespace and name.
 */
export interface DriverObject {
  /** `v1`, `apiextensions.k8s.io/v1`, `k8s.cni.cncf.io/v1`. */
  readonly apiVersion: string;
  /** The kind, e.g. `ConfigMap`, `CustomResourceDefinition`. */
  readonly kind: string;
  /** `metadata.name`: a DNS subdomain. */
  readonly name: string;
  /**
   * Whether the kind is cluster-scoped (a CustomResourceDefinition, a ClusterRole): then it
   * gets no namespace.
   * @default false - the object goes into the driver's namespace
   */
  readonly clusterScoped?: boolean;
  /**
   * Its `app.kubernetes.io/component` label: what part of the driver it belongs to.
   * @default - the kind in lowercase (`customresourcedefinition`, `configmap`)
   */
  readonly component?: string;
  /**
   * More labels, after the library's `app.kubernetes.io/*` ones (which they may not change).
   * @default - only the standard labels
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * Every top-level field but `apiVersion`, `kind` and `metadata`: `spec`, `data`, `rules`...
   * @default - none
   */
  readonly fields?: { [key: string]: any };
}
