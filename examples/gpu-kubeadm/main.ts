// One GPU driver on a kubeadm cluster monitored by kube-prometheus-stack.
//
//   dist/dra.k8s.yaml                    -> commit, let Argo CD / Flux apply it
//   dist/cluster-control-plane.k8s.yaml  -> kubeadm ClusterConfiguration, never kubectl apply: merge it into your config for
//                                           `kubeadm init --config` on a new cluster; on an existing one follow kubeadm's
//                                           "Reconfiguring a kubeadm cluster" (kubeadm-config ConfigMap and static Pod
//                                           manifests) or use ControlPlaneTarget.KUBEADM_PATCHES
//   dist/nodes/etc/kubernetes/...        -> copy to every control-plane node
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { ControlPlaneTarget, DraCluster, DriverUpgrade } from 'cdk8s-dra';
import * as kplus from 'cdk8s-plus-28';

const app = new App();
const chart = new Chart(app, 'dra');

const cluster = new DraCluster(chart, 'cluster', {
  // Facts about the cluster: they size the control plane and gate seamless upgrades.
  minKubeletVersion: '1.34',
  scale: { nodes: 100, podCreationQps: 10, claimsPerPod: 1 },

  drivers: [{
    // The reference DRA driver (kubernetes-sigs/dra-example-driver); use your vendor's image.
    driverName: 'gpu.example.com',
    image: 'registry.k8s.io/dra-example-driver/dra-example-driver:v0.4.0',
    command: ['dra-example-kubeletplugin'],
    namespace: 'dra-gpu',
    upgrade: DriverUpgrade.seamless(), // the example driver supports seamless upgrades
    metricsPort: 8080,
    nodeSelector: { 'feature.node.kubernetes.io/pci-10de.present': 'true' },
    resources: {
      requests: { cpu: kplus.k8s.Quantity.fromString('100m'), memory: kplus.k8s.Quantity.fromString('128Mi') },
      limits: { memory: kplus.k8s.Quantity.fromString('256Mi') },
    },
    env: [
      { name: 'DRIVER_NAME', value: 'gpu.example.com' },
      { name: 'DEVICE_PROFILE', value: 'gpu' },
      { name: 'NUM_DEVICES', value: '8' },
    ],
    deviceClasses: [
      { name: 'gpu.example.com' },
      { name: 'large-gpu.example.com', selectors: ['device.attributes["gpu.example.com"].model == "LATEST-GPU-MODEL"'] },
    ],
  }],

  rbac: {
    admins: [
      kplus.Group.fromName(chart, 'platform-admins', 'platform-admins'),
      // whoever applies this YAML must be an admin to create the admin-access namespace
      kplus.ServiceAccount.fromServiceAccountName(chart, 'argocd', 'argocd-application-controller', { namespaceName: 'argocd' }),
    ],
    viewers: [kplus.Group.fromName(chart, 'sre', 'sre')],
    workloadNamespaces: [
      { namespace: 'ml-training', operators: [kplus.Group.fromName(chart, 'ml-engineers', 'ml-engineers')] },
      { namespace: 'ml-inference', operators: [kplus.Group.fromName(chart, 'inference-team', 'inference-team')] },
    ],
    adminAccessNamespaces: ['gpu-debug'],
  },

  controlPlane: { target: ControlPlaneTarget.KUBEADM },

  monitoring: {
    namespace: 'monitoring',
    ruleLabels: { release: 'kube-prometheus-stack' },
    runbookBaseUrl: 'https://github.com/example-org/platform/blob/main/docs/runbooks.md',
  },
});

app.synth();
// Node-level files (the KubeSchedulerConfiguration) go next to the manifests, not into them,
// and only once synthesis (with its good-practice checks) has passed.
cluster.controlPlane!.writeFiles(path.join(app.outdir, 'nodes'));
