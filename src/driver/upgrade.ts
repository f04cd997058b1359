import { PercentOrAbsolute } from 'cdk8s-plus-28';
import { DRIVER_ROLLING_UPDATE_OPTIONS } from './option-prop-types';
import { checkProps } from '../common/prop-types';

/**
 * How long a seamless upgrade's new plugin pod must be ready before the old one is deleted. The
 * kubelet registers a plugin when its plugin watcher next looks at the registry (every second,
 * pkg/kubelet/pluginmanager loopSleepDuration); a pod counts as ready when its container starts.
 * Without a wait the DaemonSet controller deleted the old pod before the kubelet had registered the
 * new one, on the test node with kubelet 1.37 under load: for a moment the node had no plugin and
 * a claim pod's prepare failed. Five seconds covers the watcher's period several times.
 */
const SEAMLESS_MIN_READY_SECONDS = 5;

/** Options for `DriverUpgrade.rollingUpdate()`. */
export interface DriverRollingUpdateOptions {
  /**
   * How many kubelet-plugin pods may be down at once during a rollout.
   *
   * NVIDIA's GPU driver chart uses `PercentOrAbsolute.percent(100)`: with `1`, a single
   * node whose new pod never becomes ready stalls the rollout for the whole cluster
   * (dra-driver-nvidia-gpu issue #591). The price is that every node loses its driver at
   * the same time, so no pod with claims can start anywhere until the new pods are up.
   *
   * @default PercentOrAbsolute.absolute(1)
   */
  readonly maxUnavailable?: PercentOrAbsolute;
}

/**
 * How the kubelet-plugin DaemonSet replaces its pods when the driver is upgraded.
 */
export class DriverUpgrade {
  /**
   * Seamless upgrade: the new pod starts next to the old one on each node
   * (`maxSurge: 1, maxUnavailable: 0`), so the node never lacks a registered driver.
   *
   * Needs a driver built for it (the Go `kubeletplugin.RollingUpdate(podUID)` option,
   * fed from the `POD_UID` variable this library sets) and kubelet 1.33 or newer on
   * every node: an older kubelet unregisters the driver when the old pod removes its
   * socket, leaving no driver at all. `DraDriver` refuses it unless `minKubeletVersion`
   * is at least 1.33.
   */
  public static seamless(): DriverUpgrade {
    return new DriverUpgrade(true, PercentOrAbsolute.absolute(0), PercentOrAbsolute.absolute(1), SEAMLESS_MIN_READY_SECONDS);
  }

  /**
   * Classic rolling update: the old pod stops before the new one starts on each node
   * (`maxSurge: 0`). During that gap pods with claims cannot start on the node and
   * cleanup of finished pods waits.
   */
  public static rollingUpdate(options: DriverRollingUpdateOptions = {}): DriverUpgrade {
    checkProps('DriverUpgrade.rollingUpdate()', options, DRIVER_ROLLING_UPDATE_OPTIONS);
    return new DriverUpgrade(false, options.maxUnavailable ?? PercentOrAbsolute.absolute(1), PercentOrAbsolute.absolute(0), 0);
  }

  /** Whether old and new pods overlap on a node (needs driver and kubelet 1.33+ support). */
  public readonly isSeamless: boolean;
  /** `rollingUpdate.maxUnavailable` of the DaemonSet. */
  public readonly maxUnavailable: PercentOrAbsolute;
  /** `rollingUpdate.maxSurge` of the DaemonSet. */
  public readonly maxSurge: PercentOrAbsolute;
  /**
   * `minReadySeconds` of the DaemonSet: how long a new plugin pod must be ready before the
   * DaemonSet controller counts it available and, in a seamless upgrade, deletes the old one.
   */
  public readonly minReadySeconds: number;

  private constructor(isSeamless: boolean, maxUnavailable: PercentOrAbsolute, maxSurge: PercentOrAbsolute, minReadySeconds: number) {
    this.isSeamless = isSeamless;
    this.maxUnavailable = maxUnavailable;
    this.maxSurge = maxSurge;
    this.minReadySeconds = minReadySeconds;
  }
}
