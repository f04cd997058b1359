import { IConstruct } from 'constructs';
import { invalidProp } from '../../common/errors';
import { PLUGIN_ENV, PRIORITY_CLASSES } from '../../common/kubelet-plugin-facts';
import { isDnsLabel } from '../../common/names';
import { checkWholeNumber } from '../../common/numbers';
import { checkLimitsNotBelowRequests } from '../../common/quantity';
import * as k8s from '../../imports/k8s';
import { DraDriverProps, PluginSecurityMode } from '../driver-props';
import { checkEnv, checkLabels, checkResources, checkStrings, checkTolerations } from '../pod-template-checks';
import { DriverSecurityContext, securityContextJson } from '../security-context';
import { checkPriorityClass } from './priority';

/** A day: longer would hold every drain of a node (and a cluster upgrade) for longer than anyone waits. */
const MAX_GRACE_SECONDS = 86400;
/** The variables DraDriver sets in the plugin container; `env` may not set them again. */
export const RESERVED_ENV: string[] = Object.values(PLUGIN_ENV);

/** The plugin container's process and security, and the pod's scheduling and shutdown. */
export interface PluginContainerModel {
  readonly containerName: string;
  /** The plugin container's security context, if any field is set. */
  readonly securityContext?: k8s.SecurityContext;
  /** Whether the plugin runs privileged (which lets its mounts propagate from the host). */
  readonly privileged: boolean;
  readonly priorityClassName: string;
  readonly terminationGracePeriodSeconds: number;
}

export function pluginContainerModel(scope: IConstruct, props: DraDriverProps): PluginContainerModel {
  const terminationGracePeriodSeconds = props.terminationGracePeriodSeconds ?? 120;
  checkWholeNumber(scope, 'terminationGracePeriodSeconds', terminationGracePeriodSeconds, 1, MAX_GRACE_SECONDS, 'seconds',
    'the plugin needs time to unprepare devices, and every drain of the node waits this long for it');
  const priorityClassName = checkPriorityClass(scope, 'priorityClassName', props.priorityClassName ?? PRIORITY_CLASSES.nodeCritical);
  if (props.priorityClassPodQuota !== undefined && (!Number.isInteger(props.priorityClassPodQuota) || props.priorityClassPodQuota < 1)) {
    invalidProp(scope, 'priorityClassPodQuota', props.priorityClassPodQuota, 'must be a positive whole number of pods');
  }
  checkLabels(scope, 'nodeSelector', props.nodeSelector);
  checkTolerations(scope, props.tolerations);
  checkStrings(scope, 'command', props.command);
  checkStrings(scope, 'args', props.args);
  checkEnv(scope, props.env, RESERVED_ENV);
  checkResources(scope, props.resources);
  checkLimitsNotBelowRequests(scope, 'resources', props.resources);

  if (props.securityMode !== undefined && props.securityContext !== undefined) {
    invalidProp(scope, 'securityMode', props.securityMode, 'cannot be given with securityContext, which chooses every field: leave securityMode out');
  }
  const pluginSecurity = props.securityContext
    ?? (props.securityMode === PluginSecurityMode.UNPRIVILEGED ? DriverSecurityContext.unprivileged() : DriverSecurityContext.privileged());
  const securityContext = securityContextJson(scope, props.securityContext === undefined ? 'securityMode' : 'securityContext', pluginSecurity);
  const containerName = props.containerName ?? 'plugin';
  if (!isDnsLabel(containerName)) {
    invalidProp(scope, 'containerName', containerName, 'must be a DNS label (RFC 1123, at most 63 characters)');
  }
  return { containerName, securityContext, privileged: pluginSecurity.isPrivileged, priorityClassName, terminationGracePeriodSeconds };
}
