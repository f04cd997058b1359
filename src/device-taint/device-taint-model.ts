import { IConstruct } from 'constructs';
import { DeviceTaintEffect } from './device-taint-effect';
import { DraDeviceTaintProps } from './device-taint-props';
import { invalidProp } from '../common/errors';
import { formatMinor, isAtLeast, KUBERNETES_CHANGES, kubernetesVersionProblem } from '../common/kubernetes-versions';
import { isDnsLabel, isDnsSubdomain, isLabelKey, isLabelValue, parseKubernetesVersion } from '../common/names';
import { checkDriverName } from '../driver/device-class-spec';

/** The taint key when none is given: devices taken out of service by an admin. */
export const DEFAULT_DEVICE_TAINT_KEY = 'resource.cdk8s-dra.io/maintenance';

/** A pool name's limit (resource.k8s.io PoolNameMaxLength). */
const MAX_POOL_NAME = 253;

/** `DraDeviceTaintProps`, validated and defaulted: what the DeviceTaintRule is built from. */
export interface DeviceTaintModel {
  readonly name: string;
  readonly driver: string;
  readonly pool?: string;
  readonly device?: string;
  readonly effect: DeviceTaintEffect;
  readonly key: string;
  readonly reason?: string;
}

export function deviceTaintModel(scope: IConstruct, props: DraDeviceTaintProps): DeviceTaintModel {
  checkServed(scope, props.kubernetesVersion);
  checkDriverName(scope, 'driver', props.driver);
  if (props.pool !== undefined && !isPoolName(props.pool)) {
    invalidProp(scope, 'pool', props.pool,
      `must be a pool name: DNS subdomains separated by "/", at most ${MAX_POOL_NAME} characters (slice.spec.pool.name)`);
  }
  if (props.device !== undefined && !isDnsLabel(props.device)) {
    invalidProp(scope, 'device', props.device, 'must be a device name: a DNS label (RFC 1123), at most 63 characters (slice.spec.devices[].name)');
  }
  const key = props.key ?? DEFAULT_DEVICE_TAINT_KEY;
  if (!isLabelKey(key)) {
    invalidProp(scope, 'key', key, 'must be a label key (an optional DNS-subdomain prefix and "/", then a name of at most 63 characters)');
  }
  if (props.reason !== undefined && !isLabelValue(props.reason)) {
    invalidProp(scope, 'reason', props.reason, 'must be a label value (at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit): it is the taint value');
  }
  const name = props.name ?? [props.driver, props.pool, props.device].filter(part => part !== undefined).join('-').replace(/\//g, '-');
  if (!isDnsSubdomain(name)) {
    invalidProp(scope, 'name', name, props.name === undefined
      ? 'is the default DeviceTaintRule name (driver, pool and device joined by "-"), which is not a DNS subdomain: set name'
      : 'must be a DNS subdomain (RFC 1123): lowercase letters, digits, "-" and ".", at most 253 characters');
  }
  return { name, driver: props.driver, pool: props.pool, device: props.device, effect: props.effect, key, reason: props.reason };
}

/** DeviceTaintRule is served as resource.k8s.io/v1 (and on by default) from 1.37. */
function checkServed(scope: IConstruct, kubernetesVersion: string): void {
  const problem = kubernetesVersionProblem(kubernetesVersion);
  if (problem !== undefined) {
    invalidProp(scope, 'kubernetesVersion', kubernetesVersion, problem);
  }
  if (!isAtLeast(parseKubernetesVersion(kubernetesVersion)!, KUBERNETES_CHANGES.deviceTaintRulesV1)) {
    invalidProp(scope, 'kubernetesVersion', kubernetesVersion,
      `must be ${formatMinor(KUBERNETES_CHANGES.deviceTaintRulesV1)} or later: DeviceTaintRule is served as resource.k8s.io/v1, on by default, `
      + `from ${formatMinor(KUBERNETES_CHANGES.deviceTaintRulesV1)}; 1.36 serves it only as v1beta2 with the DRADeviceTaintRules gate and `
      + 'runtime-config turned on, 1.35 only as alpha v1alpha3');
  }
}

function isPoolName(pool: string): boolean {
  return pool.length <= MAX_POOL_NAME && pool.split('/').every(isDnsSubdomain);
}
