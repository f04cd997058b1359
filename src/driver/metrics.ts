import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DriverModel, METRICS_COMPONENT, MetricsModel } from './driver-model';
import { standardLabels } from '../common/labels';
import { typedApiObject } from '../common/typed-objects';
import * as k8s from '../imports/k8s';
import { ServiceMonitor } from '../imports/monitoring.coreos.com';

/** The plugin's metrics Service, and the ServiceMonitor that scrapes it unless turned off. */
export function pluginMetrics(scope: Construct, model: DriverModel, metrics: MetricsModel, podSelector: { [key: string]: string }):
{ service: ApiObject; serviceMonitor?: ApiObject } {
  const labels = standardLabels(model.name, METRICS_COMPONENT);
  const service = typedApiObject(scope, 'metrics-service', k8s.KubeService, {
    metadata: { name: metrics.serviceName, namespace: model.namespace, labels },
    spec: {
      selector: podSelector,
      ports: [{ name: 'metrics', port: metrics.port, targetPort: k8s.IntOrString.fromString(metrics.portName), protocol: 'TCP' }],
    },
  });
  if (!metrics.serviceMonitor) {
    return { service };
  }
  const serviceMonitor = typedApiObject(scope, 'service-monitor', ServiceMonitor, {
    metadata: { name: metrics.serviceName, namespace: model.namespace, labels: { ...labels, ...metrics.serviceMonitorLabels } },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': model.name, 'app.kubernetes.io/component': METRICS_COMPONENT } },
      namespaceSelector: { matchNames: [model.namespace] },
      endpoints: [{ port: 'metrics', path: '/metrics' }],
    },
  });
  return { service, serviceMonitor };
}
