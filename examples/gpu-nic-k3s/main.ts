// Two DRA drivers (GPU and NIC) on k3s: the GPU plugin unprivileged and upgraded seamlessly,
// the NIC plugin in the node's network namespace with the netns, NRI and bpffs mounts it needs.
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
      // Moving network interfaces into pod network namespaces needs host privileges and the
      // node's network namespace. With hostNetwork two pods on a node would bind the same
      // health and metrics ports, so this plugin is replaced by a rolling update, not seamlessly.
      securityMode: PluginSecurityMode.PRIVILEGED,
      hostNetwork: true,
      upgrade: DriverUpgrade.rollingUpdate(),
      // It reports each claimed interface's addresses in the claim's status.devices.
      writesDeviceStatus: true,
      volumes: [
        // The runtime's pod network namespaces, created after the plugin starts.
        { name: 'netns', hostPath: { path: '/var/run/netns', type: 'DirectoryOrCreate' } },
        // NRI tells the plugin when pod sandboxes start, to move the interfaces in before the containers run
        // (k3s: enable NRI in containerd's config.toml.tmpl).
        { name: 'nri', hostPath: { path: '/var/run/nri', type: 'Directory' } },
        // eBPF programs and maps the plugin pins for the interfaces it moves.
        { name: 'bpffs', hostPath: { path: '/sys/fs/bpf', type: 'Directory' } },
      ],
      volumeMounts: [
        { name: 'netns', mountPath: '/var/run/netns', mountPropagation: 'HostToContainer' },
        { name: 'nri', mountPath: '/var/run/nri' },
        { name: 'bpffs', mountPath: '/sys/fs/bpf', mountPropagation: 'HostToContainer' },
      ],
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
