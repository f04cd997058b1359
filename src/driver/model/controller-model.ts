import { IConstruct } from 'constructs';
import { invalidProp } from '../../common/errors';
import { checkImageReference } from '../../common/image-reference';
import { PRIORITY_CLASSES } from '../../common/kubelet-plugin-facts';
import { isDnsLabel } from '../../common/names';
import { DraDriverControllerOptions } from '../controller';
import { checkRules } from '../pod-extras-checks';
import { checkEnv, checkLabels, checkResources, checkStrings, checkTolerations } from '../pod-template-checks';
import { securityContextJson } from '../security-context';
import { checkPriorityClass } from './priority';

/** The driver's central controller, validated and defaulted. */
export interface ControllerModel {
  readonly options: DraDriverControllerOptions;
  readonly replicas: number;
  readonly priorityClassName: string;
}

export function controllerModel(scope: IConstruct, options: DraDriverControllerOptions): ControllerModel {
  checkImageReference(scope, 'controller.image', options.image);
  if (options.containerName !== undefined && !isDnsLabel(options.containerName)) {
    invalidProp(scope, 'controller.containerName', options.containerName, 'must be a DNS label (RFC 1123, at most 63 characters)');
  }
  checkStrings(scope, 'controller.command', options.command);
  checkStrings(scope, 'controller.args', options.args);
  checkEnv(scope, options.env, [], 'controller.env');
  checkResources(scope, options.resources, 'controller.resources');
  checkTolerations(scope, options.tolerations, 'controller.tolerations');
  checkLabels(scope, 'controller.nodeSelector', options.nodeSelector);
  checkRules(scope, 'controller.clusterRules', options.clusterRules ?? []);
  checkRules(scope, 'controller.namespaceRules', options.namespaceRules ?? []);
  if (options.securityContext !== undefined) {
    securityContextJson(scope, 'controller.securityContext', options.securityContext);
  }
  const replicas = options.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1) {
    invalidProp(scope, 'controller.replicas', replicas, 'must be a positive whole number');
  }
  return {
    options,
    replicas,
    priorityClassName: checkPriorityClass(scope, 'controller.priorityClassName', options.priorityClassName ?? PRIORITY_CLASSES.clusterCritical),
  };
}
