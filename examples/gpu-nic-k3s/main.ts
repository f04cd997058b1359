// Two DRA drivers (GPU and NIC) on k3s, both upgraded seamlessly, the GPU plugin unprivileged.
//
//   dist/dra.k8s.yaml       -> commit, let Argo CD / Flux apply it
//   dist/nodes/etc/rancher/ -> copy to every k3s server (config.yaml.d drop-in + scheduler config)
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { ControlPlaneTarget, DraCluster, DriverUpgrade, PluginSecurityMode } from 'cdk8s-dra';
import * as kplus from 'cdk8s-plus-28';

const app = new App();
const chart = new Chart(app, 'dra');

const cluster = new DraCluster(chart, 'cluster', {
  minKubeletVersion: '1.34', // every node runs k3s v1.34+: seamless upgrades are safe
  scale: { nodes: 40, podCreationQps: 5, claimsPerPod: 2 }, // each pod claims a GPU and a NIC

  drivers: [
    {
      driverName: 'gpu.example.com',
      image: 'registry.example.com/gpu-kubelet-plugin:v1.2.3',
      namespace: 'dra-gpu',
      upgrade: DriverUpgrade.seamless(),
      // This plugin only reads device files and writes CDI specs: it needs no privileges.
      securityMode: PluginSecurityMode.UNPRIVILEGED,
      metricsPort: 8080,
      nodeSelector: { 'example.com/gpu': 'true' },
      deviceClasses: [{ name: 'gpu.example.com' }],
    },
    {
      driverName: 'nic.example.com',
      image: 'registry.example.com/nic-kubelet-plugin:v0.9.0',
      namespace: 'dra-nic',
      upgrade: DriverUpgrade.seamless(),
      // Moving network interfaces into pod network namespaces needs host privileges.
      securityMode: PluginSecurityMode.PRIVILEGED,
      metricsPort: 9090,
      serviceMonitor: false, // DraMonitoring adds a PodMonitor instead
      deviceClasses: [
        { name: 'nic.example.com' },
        { name: 'rdma-nic.example.com', selectors: ['device.attributes["nic.example.com"].rdma == true'] },
      ],
    },
  ],

  rbac: {
    admins: [
      kplus.Group.fromName(chart, 'platform-admins', 'platform-admins'),
      kplus.ServiceAccount.fromServiceAccountName(chart, 'flux', 'kustomize-controller', { namespaceName: 'flux-system' }),
    ],
    workloadNamespaces: [{ namespace: 'hpc', operators: [kplus.Group.fromName(chart, 'hpc-users', 'hpc-users')] }],
  },

  controlPlane: { target: ControlPlaneTarget.K3S },

  monitoring: {
    ruleLabels: { prometheus: 'k8s' },
    clusterLabel: 'cluster',
    runbookBaseUrl: 'https://wiki.example.org/hpc/dra-runbooks',
  },
});

app.synth();
// Node-level files only once synthesis (with its good-practice checks) has passed.
cluster.controlPlane!.writeFiles(path.join(app.outdir, 'nodes'));
