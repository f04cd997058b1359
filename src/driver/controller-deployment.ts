import { ImagePullPolicy, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KubeDeploymentWithAppArmor } from './app-armor-workloads';
import { CONTROLLER_COMPONENT, ControllerModel, DriverModel } from './driver-model';
import { DriverSecurityContext, DriverSeccompProfile, securityContextJson } from './security-context';
import { standardLabels } from '../common/labels';

/** The annotation that names the DRA driver a Deployment is the central controller of. */
export const DRIVER_CONTROLLER_ANNOTATION = 'resource.cdk8s-dra.io/controller-of';

/** The controller Deployment, from the model alone. */
export function controllerDeployment(
  scope: Construct, model: DriverModel, controller: ControllerModel, name: string, serviceAccountName: string, selector: { [key: string]: string },
): k8s.KubeDeployment {
  const options = controller.options;
  const labels = standardLabels(model.name, CONTROLLER_COMPONENT);
  // A controller only talks to the API server: it needs nothing of the node.
  // Not runAsNonRoot: many driver images run as root, and the kubelet refuses to start those.
  const security = options.securityContext ?? DriverSecurityContext.of({
    allowPrivilegeEscalation: false,
    capabilitiesDrop: ['ALL'],
    seccompProfile: DriverSeccompProfile.runtimeDefault(),
  });
  const podSpec: k8s.PodSpec = {
    serviceAccountName,
    priorityClassName: controller.priorityClassName,
    nodeSelector: options.nodeSelector,
    tolerations: options.tolerations,
    affinity: options.affinity,
    containers: [{
      name: options.containerName ?? 'controller',
      image: options.image,
      imagePullPolicy: options.imagePullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT,
      command: options.command,
      args: options.args,
      env: options.env,
      resources: options.resources ?? {
        requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
      },
      securityContext: securityContextJson(scope, 'controller.securityContext', security),
    }],
  };
  return new KubeDeploymentWithAppArmor(scope, 'controller-deployment', {
    metadata: { name, namespace: model.namespace, labels, annotations: { [DRIVER_CONTROLLER_ANNOTATION]: model.driverName } },
    spec: {
      replicas: controller.replicas,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: podSpec,
      },
    },
  });
}
