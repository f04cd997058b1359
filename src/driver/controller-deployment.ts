import { ApiObject } from 'cdk8s';
import { ImagePullPolicy } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CONTROLLER_COMPONENT, ControllerModel, DriverModel } from './driver-model';
import { DriverSeccompProfile, DriverSecurityContext, securityContextJson } from './security-context';
import { fromCdk8sPlus } from '../common/cdk8s-plus-structs';
import { standardLabels } from '../common/labels';
import { typedApiObject } from '../common/typed-objects';
import * as k8s from '../imports/k8s';

/** The annotation that names the DRA driver a Deployment is the central controller of. */
export const DRIVER_CONTROLLER_ANNOTATION = 'resource.cdk8s-dra.io/controller-of';

/** The controller Deployment, from the model alone. */
export function controllerDeployment(
  scope: Construct, model: DriverModel, controller: ControllerModel, name: string, serviceAccountName: string, selector: { [key: string]: string },
): ApiObject {
  const options = controller.options;
  const labels = standardLabels(model.name, CONTROLLER_COMPONENT);
  // A controller only talks to the API server: it needs nothing of the node.
  // Not runAsNonRoot: many driver images run as root, and the kubelet refuses to start those.
  const security = options.securityContext ?? DriverSecurityContext.of({
    allowPrivilegeEscalation: false,
    capabilitiesDrop: ['ALL'],
    seccompProfile: DriverSeccompProfile.runtimeDefault(),
  });
  return typedApiObject(scope, 'controller-deployment', k8s.KubeDeployment, {
    metadata: { name, namespace: model.namespace, labels, annotations: { [DRIVER_CONTROLLER_ANNOTATION]: model.driverName } },
    spec: {
      replicas: controller.replicas,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName,
          priorityClassName: controller.priorityClassName,
          nodeSelector: options.nodeSelector,
          tolerations: options.tolerations && fromCdk8sPlus.tolerations(options.tolerations),
          affinity: options.affinity && fromCdk8sPlus.affinity(options.affinity),
          containers: [{
            name: options.containerName ?? 'controller',
            image: options.image,
            imagePullPolicy: options.imagePullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT,
            command: options.command,
            args: options.args,
            env: options.env && fromCdk8sPlus.envVars(options.env),
            resources: options.resources ? fromCdk8sPlus.resources(options.resources) : {
              requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
            },
            securityContext: securityContextJson(scope, 'controller.securityContext', security),
          }],
        },
      },
    },
  });
}
