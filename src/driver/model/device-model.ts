import { IConstruct } from 'constructs';
import { invalidProp } from '../../common/errors';
import { DEFAULT_KUBERNETES_VERSION, formatMinor, isAtLeast, KUBERNETES_CHANGES, kubernetesVersionProblem } from '../../common/kubernetes-versions';
import { parseKubernetesVersion } from '../../common/names';
import * as k8s from '../../imports/k8s';
import { deviceClassSpec, ExtendedResourceGate } from '../device-class-spec';
import { DraDriverProps } from '../driver-props';

/** The driver's DeviceClasses, and whether its plugin writes DeviceTaintRules, for the target Kubernetes version. */
export interface DeviceModel {
  readonly deviceClasses: Array<{ readonly name: string; readonly spec: k8s.DeviceClassSpec }>;
  readonly writesDeviceTaintRules: boolean;
}

export function deviceModel(scope: IConstruct, props: DraDriverProps): DeviceModel {
  const gate = extendedResourceGate(scope, props);
  const writesDeviceTaintRules = props.writesDeviceTaintRules ?? false;
  if (writesDeviceTaintRules && !isAtLeast(gate.version, KUBERNETES_CHANGES.deviceTaintRulesV1)) {
    invalidProp(scope, 'writesDeviceTaintRules', true,
      `needs kubernetesVersion ${formatMinor(KUBERNETES_CHANGES.deviceTaintRulesV1)} or later (it is '${gate.kubernetesVersion}'): `
      + `DeviceTaintRule is served as resource.k8s.io/v1 from ${formatMinor(KUBERNETES_CHANGES.deviceTaintRulesV1)}, and the admission policy `
      + 'that confines the plugin\'s writes matches that version');
  }
  const deviceClassOptions = props.deviceClasses ?? [{ name: props.driverName }];
  const deviceClasses = deviceClassOptions.map((options, index) => ({
    name: options.name,
    spec: deviceClassSpec(scope, props.driverName, options, index, gate),
  }));
  const seen = new Set<string>();
  deviceClassOptions.forEach((options, index) => {
    if (seen.has(options.name)) {
      invalidProp(scope, `deviceClasses[${index}].name`, options.name, 'is used by an earlier DeviceClass: names must be unique');
    }
    seen.add(options.name);
  });
  return { deviceClasses, writesDeviceTaintRules };
}

function extendedResourceGate(scope: IConstruct, props: DraDriverProps): ExtendedResourceGate {
  const kubernetesVersion = props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  const problem = kubernetesVersionProblem(kubernetesVersion);
  if (problem !== undefined) {
    invalidProp(scope, 'kubernetesVersion', kubernetesVersion, problem);
  }
  return { kubernetesVersion, version: parseKubernetesVersion(kubernetesVersion)!, gateEnabled: props.extendedResourceGateEnabled ?? false };
}
