import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DriverModel, METRICS_COMPONENT, MetricsModel } from './driver-model';
import { standardLabels } from '../common/labels';
import { ServiceMonitor } from '../imports/monitoring.coreos.com';

/** The plugin's metrics Service, and the ServiceMonitor that scrapes it unless turned off. */
export function pluginMetrics(scope: Construct, model: DriverModel, metrics: MetricsModel, podSelector: { [key: string]: string }):
{ service: k8s.KubeService; serviceMonitor?: ServiceMonitor } {
  const labels = standardLabels(model.name, METRICS_COMPONENT);
  const service = new k8s.KubeService(scope, 'metrics-service', {
    metadata: { name: metrics.serviceName, namespace: model.namespace, labels },
    spec: {
      selector: podSelector,
      ports: [{ name: 'metrics', port: metrics.port, targetPort: k8s.IntOrString.fromString(metrics.portName), protocol: 'TCP' }],
    },
  });
  if (!metrics.serviceMonitor) {
    return { service };
  }
  const serviceMonitor = new ServiceMonitor(scope, 'service-monitor', {
    metadata: { name: metrics.serviceName, namespace: model.namespace, labels: { ...labels, ...metrics.serviceMonitorLabels } },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': model.name, 'app.kubernetes.io/component': METRICS_COMPONENT } },
      namespaceSelector: { matchNames: [model.namespace] },
      endpoints: [{ port: 'metrics', path: '/metrics' }],
    },
  });
  return { service, serviceMonitor };
}
