import { DeviceTaintEffect } from './device-taint-effect';

/** Props of `DraDeviceTaint`. */
export interface DraDeviceTaintProps {
  /**
   * The Kubernetes version of the control plane (`1.37`, `v1.37.2`). A DeviceTaintRule is
   * served as `resource.k8s.io/v1`, on by default, from 1.37; older versions are refused.
   */
  readonly kubernetesVersion: string;
  /** The DRA driver whose devices are tainted (`slice.spec.driver`), e.g. `gpu.example.com`. */
  readonly driver: string;
  /**
   * The pool whose devices are tainted. Node-local drivers built on the kubeletplugin
   * helper name a node's pool after the node, so this is the node to drain.
   * @default - every pool of the driver
   */
  readonly pool?: string;
  /**
   * The one device tainted (`slice.spec.devices[].name`).
   * @default - every device of the driver (in the pool, when given)
   */
  readonly device?: string;
  /** `DeviceTaintEffect.NO_SCHEDULE` or `DeviceTaintEffect.NO_EXECUTE` (evicts the pods using the devices). */
  readonly effect: DeviceTaintEffect;
  /**
   * The taint key, a label key; pods' claims tolerate it by this key.
   * @default 'resource.cdk8s-dra.io/maintenance'
   */
  readonly key?: string;
  /**
   * Why the devices are tainted: the taint value, a label value such as `node-drain` or
   * `firmware-update`. Shown in the DeviceTaintRule and matched by tolerations with
   * operator `Equal`.
   * @default - no value
   */
  readonly reason?: string;
  /**
   * The DeviceTaintRule's name (cluster-scoped, a DNS subdomain).
   * @default - the driver, pool and device joined by `-`, with `/` in a pool name made `-`
   */
  readonly name?: string;
}
