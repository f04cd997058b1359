import { IConstruct } from 'constructs';
import { invalidProp } from '../../common/errors';
import { formatMinor, isAtLeast, KUBERNETES_CHANGES, OLDEST_KUBERNETES } from '../../common/kubernetes-versions';
import { parseKubernetesVersion } from '../../common/names';
import { checkKubeletVersion, oldestKubeletFor } from '../../common/version-skew';
import { DraDriverProps } from '../driver-props';
import { DriverUpgrade } from '../upgrade';

const DEFAULT_MIN_KUBELET = formatMinor(oldestKubeletFor(OLDEST_KUBERNETES));

/** How the plugin rolls out, and whether it runs in the node's network namespace (which a seamless upgrade must allow). */
export interface UpgradeModel {
  readonly upgrade: DriverUpgrade;
  readonly hostNetwork: boolean;
}

export function upgradeModel(scope: IConstruct, props: DraDriverProps): UpgradeModel {
  const upgrade = props.upgrade ?? DriverUpgrade.rollingUpdate();
  checkUpgrade(scope, upgrade, props);
  const hostNetwork = props.hostNetwork ?? false;
  if (hostNetwork && upgrade.isSeamless && !props.hostNetworkPortsShared) {
    invalidProp(scope, 'hostNetwork', true,
      'with a seamless upgrade runs the old and the new pod side by side in the node\'s network namespace, where both bind the same health and metrics ports; '
      + 'use DriverUpgrade.rollingUpdate(), or set hostNetworkPortsShared once the driver binds them with SO_REUSEPORT');
  }
  return { upgrade, hostNetwork };
}

function checkUpgrade(scope: IConstruct, upgrade: DriverUpgrade, props: DraDriverProps): void {
  const value = upgrade.maxUnavailable.value;
  const valid = typeof value === 'number'
    ? Number.isInteger(value) && value >= 1
    : /^(\d+)%$/.test(value) && Number(value.slice(0, -1)) >= 1 && Number(value.slice(0, -1)) <= 100;
  if (!upgrade.isSeamless && !valid) {
    invalidProp(scope, 'upgrade.maxUnavailable', value, 'must be a whole number of pods >= 1 or a percentage from 1% to 100%: with maxSurge 0, zero would block every rollout');
  }
  const minKubeletVersion = props.minKubeletVersion ?? DEFAULT_MIN_KUBELET;
  const minKubelet = parseKubernetesVersion(minKubeletVersion);
  if (!minKubelet) {
    invalidProp(scope, 'minKubeletVersion', minKubeletVersion, 'must be a Kubernetes version such as 1.33 or v1.34.2');
  }
  checkKubeletVersion(scope, 'minKubeletVersion', minKubeletVersion);
  const seamlessSince = formatMinor(KUBERNETES_CHANGES.seamlessUpgrades);
  if (upgrade.isSeamless && !isAtLeast(minKubelet, KUBERNETES_CHANGES.seamlessUpgrades)) {
    invalidProp(scope, 'upgrade', 'seamless',
      `needs kubelet ${seamlessSince} or newer on every node, but minKubeletVersion is '${minKubeletVersion}': an older kubelet unregisters the driver when the old pod removes its socket, leaving the node without a driver`
      + (props.minKubeletVersion === undefined ? ` (set minKubeletVersion once all kubelets run ${seamlessSince}+)` : ''));
  }
}
