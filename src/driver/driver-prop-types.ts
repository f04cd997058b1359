import { ImagePullPolicy } from 'cdk8s-plus-28';
import { PluginSecurityMode } from './dra-driver';
import { DriverUpgrade } from './upgrade';
import {
  boolean, data, dataList, dataObject, instanceOf, listOf, number, object, oneOf, optional, PropSchema, record, required, string, stringMap,
} from '../common/prop-types';

/** The JavaScript types of `DraDriverProps` (src/common/prop-types.ts), checked before every other rule. */
export function draDriverPropTypes(): PropSchema {
  return {
    driverName: required(string),
    image: required(string),
    name: optional(string),
    namespace: optional(string),
    createNamespace: optional(boolean),
    healthcheckPort: optional(number),
    upgrade: optional(instanceOf(DriverUpgrade, 'DriverUpgrade.seamless() or DriverUpgrade.rollingUpdate()')),
    minKubeletVersion: optional(string),
    kubeletRootDir: optional(string),
    cdiDir: optional(string),
    securityMode: optional(oneOf(Object.values(PluginSecurityMode))),
    priorityClassName: optional(string),
    priorityClassPodQuota: optional(number),
    resources: optional(record({ requests: optional(object), limits: optional(object), claims: optional(dataList) })),
    terminationGracePeriodSeconds: optional(number),
    drainLateTolerations: optional(boolean),
    nodeSelector: optional(stringMap),
    tolerations: optional(dataList),
    affinity: optional(dataObject),
    command: optional(listOf(string)),
    args: optional(listOf(string)),
    env: optional(dataList),
    imagePullPolicy: optional(oneOf(Object.values(ImagePullPolicy))),
    deviceClasses: optional(listOf(record({
      name: required(string),
      selectors: optional(listOf(string)),
      selectOwnDriver: optional(boolean),
      config: optional(listOf(record({ driver: optional(string), parameters: optional(data) }))),
      extendedResourceName: optional(string),
    }))),
    metricsPort: optional(number),
    serviceMonitor: optional(boolean),
    serviceMonitorLabels: optional(stringMap),
  };
}
