import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { parseAllDocuments } from 'yaml';
import { ControlPlaneSizing, ControlPlaneTarget, DraCluster, DraClusterProps, DriverUpgrade } from '../../src';
import { expectValidObjects, findObject, findObjects } from '../support/harness';

/** Synthesizes an app to a temporary folder; returns each file's objects. */
function synthApp(build: (app: App, chart: Chart) => void): Map<string, any[]> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-cluster-'));
  try {
    const app = Testing.app({ outdir } as any);
    build(app, new Chart(app, 'dra'));
    app.synth();
    const files = new Map<string, any[]>();
    for (const file of fs.readdirSync(outdir).sort()) {
      files.set(file, parseAllDocuments(fs.readFileSync(path.join(outdir, file), 'utf-8')).map(d => d.toJSON()));
    }
    return files;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function fullProps(chart: Chart): DraClusterProps {
  return {
    drivers: [
      { driverName: 'gpu.example.com', image: 'gpu:1', namespace: 'dra-gpu', metricsPort: 8080, upgrade: DriverUpgrade.seamless() },
      { driverName: 'nic.example.com', image: 'nic:1', namespace: 'dra-nic', metricsPort: 9090, serviceMonitor: false },
    ],
    minKubeletVersion: '1.34',
    scale: { nodes: 500, podCreationQps: 20 },
    rbac: { admins: [kplus.Group.fromName(chart, 'admins', 'platform-admins')] },
    controlPlane: { target: ControlPlaneTarget.KUBEADM },
    monitoring: { runbookBaseUrl: 'https://runbooks.example.com/dra.md', ruleLabels: { release: 'kube-prometheus-stack' } },
  };
}

describe('DraCluster wires the parts together', () => {
  let cluster!: DraCluster;
  const files = synthApp((_, chart) => { cluster = new DraCluster(chart, 'cluster', fullProps(chart)); });
  const objects = files.get('dra.k8s.yaml')!;

  test('writes the cluster objects and the control-plane documents to separate files', () => {
    expect([...files.keys()]).toEqual(['cluster-control-plane.k8s.yaml', 'dra.k8s.yaml']);
    expect(files.get('cluster-control-plane.k8s.yaml')!.map(o => o.kind)).toEqual(['ClusterConfiguration']);
    expect(objects.some(o => o.kind === 'ClusterConfiguration')).toBe(false);
    expectValidObjects(objects);
  });

  test('installs one DraDriver per driver, with the cluster\'s kubelet version', () => {
    expect(cluster.drivers.map(d => d.driverName)).toEqual(['gpu.example.com', 'nic.example.com']);
    const gpu = findObject(objects, 'DaemonSet', cluster.drivers[0].daemonSetName);
    expect(gpu.spec.updateStrategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
  });

  test('monitoring alerts on every driver and scrapes only the one without a ServiceMonitor', () => {
    const rules = JSON.stringify(findObject(objects, 'PrometheusRule').spec);
    for (const driver of cluster.drivers) {
      expect(rules).toContain(driver.daemonSetName);
    }
    expect(findObjects(objects, 'ServiceMonitor').map(o => o.metadata.namespace)).toEqual(['dra-gpu']);
    expect(findObjects(objects, 'PodMonitor').map(o => o.metadata.namespace)).toEqual(['dra-nic']);
  });

  test('every driver\'s ServiceMonitor and PodMonitor carries the labels kube-prometheus-stack selects by', () => {
    // Without them Prometheus never scrapes the drivers and their target alerts cannot fire.
    for (const monitor of [...findObjects(objects, 'ServiceMonitor'), ...findObjects(objects, 'PodMonitor')]) {
      expect({ name: monitor.metadata.name, release: monitor.metadata.labels.release }).toEqual({ name: monitor.metadata.name, release: 'kube-prometheus-stack' });
    }
  });

  test('scrapeLabels win over ruleLabels on the ServiceMonitors, and a driver\'s own labels are kept', () => {
    const withScrape = synthApp((_, chart) => {
      const props = fullProps(chart);
      new DraCluster(chart, 'cluster', {
        ...props,
        drivers: [{ ...props.drivers![0], serviceMonitorLabels: { team: 'gpu' } }],
        monitoring: { ...props.monitoring!, ruleLabels: { release: 'rules' }, scrapeLabels: { release: 'scrape' } },
      });
    }).get('dra.k8s.yaml')!;
    expect(findObject(withScrape, 'ServiceMonitor').metadata.labels).toMatchObject({ release: 'scrape', team: 'gpu' });
  });

  test('monitoring learns the control-plane target: on k3s one throttling alert for the single process', () => {
    const k3s = synthApp((_, chart) => {
      new DraCluster(chart, 'cluster', { ...fullProps(chart), controlPlane: { target: ControlPlaneTarget.K3S } });
    }).get('dra.k8s.yaml')!;
    const alerts = findObject(k3s, 'PrometheusRule').spec.groups.flatMap((g: any) => g.rules).map((r: any) => r.alert);
    expect(alerts.filter((a: string) => a?.endsWith('ClientThrottled'))).toEqual(['DraControlPlaneClientThrottled']);
  });

  test('the control plane is sized from the cluster\'s declared scale', () => {
    const recommended = ControlPlaneSizing.recommend({ nodes: 500, podCreationQps: 20 });
    expect(cluster.controlPlane!.controllerManagerQps).toBe(recommended.controllerManagerQps);
    expect(cluster.controlPlane!.schedulerBurst).toBe(recommended.schedulerBurst);
  });

  test('RBAC knows the drivers: their ServiceAccounts cannot be made admins', () => {
    expect(() => synthApp((_, chart) => {
      const props = fullProps(chart);
      const gpuAccount = kplus.ServiceAccount.fromServiceAccountName(chart, 'sa', 'gpu-example-com-kubelet-plugin', { namespaceName: 'dra-gpu' });
      new DraCluster(chart, 'cluster', { ...props, rbac: { admins: [gpuAccount] } });
    })).toThrow(/admins 'dra-gpu\/gpu-example-com-kubelet-plugin' is the kubelet plugin ServiceAccount of driver gpu.example.com/);
  });
});

describe('DraCluster runs the good-practice checks with the declared facts', () => {
  test('a control plane tuned below the declared scale fails synthesis and writes nothing', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-cluster-'));
    try {
      const app = Testing.app({ outdir } as any);
      const chart = new Chart(app, 'dra');
      new DraCluster(chart, 'cluster', {
        ...fullProps(chart),
        controlPlane: { target: ControlPlaneTarget.KUBEADM, controllerManager: { qps: 20, burst: 30 }, scheduler: { qps: 50, burst: 100 } },
      });
      expect(() => app.synth()).toThrow(/DRA009/);
      expect(fs.readdirSync(outdir)).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('goodPractices: false leaves the app unchecked', () => {
    expect(() => synthApp((_, chart) => new DraCluster(chart, 'cluster', {
      ...fullProps(chart),
      goodPractices: false,
      controlPlane: { target: ControlPlaneTarget.KUBEADM, controllerManager: { qps: 20, burst: 30 }, scheduler: { qps: 50, burst: 100 } },
    }))).not.toThrow();
  });
});

describe('DraCluster rejects contradictions at synth time', () => {
  test.each<[string, (chart: Chart) => DraClusterProps, string]>([
    ['a driver listed twice', chart => ({ ...fullProps(chart), drivers: [{ driverName: 'gpu.example.com', image: 'a:1' }, { driverName: 'gpu.example.com', image: 'b:1' }] }),
      "DraCluster 'cluster' (dra/cluster): drivers 'gpu.example.com' is listed twice"],
    ['a driver kubelet version that contradicts the cluster\'s', chart => ({
      ...fullProps(chart), drivers: [{ driverName: 'gpu.example.com', image: 'a:1', minKubeletVersion: '1.33' }],
    }), "drivers[gpu.example.com].minKubeletVersion '1.33' contradicts the cluster's minKubeletVersion '1.34'"],
    ['a driver Kubernetes version that contradicts the cluster\'s', chart => ({
      ...fullProps(chart), kubernetesVersion: '1.36', drivers: [{ driverName: 'gpu.example.com', image: 'a:1', kubernetesVersion: '1.34' }],
    }), "drivers[gpu.example.com].kubernetesVersion '1.34' contradicts the cluster's kubernetesVersion '1.36'"],
    ['a control-plane version that contradicts the cluster\'s', chart => ({
      ...fullProps(chart), kubernetesVersion: '1.36', controlPlane: { target: ControlPlaneTarget.KUBEADM, kubernetesVersion: '1.35' },
    }), "controlPlane.kubernetesVersion '1.35' contradicts the cluster's kubernetesVersion '1.36'"],
    ['an extendedResourceName on the default 1.34', chart => ({
      ...fullProps(chart), drivers: [{ driverName: 'gpu.example.com', image: 'a:1', deviceClasses: [{ name: 'gpu', extendedResourceName: 'example.com/gpu' }] }],
    }), "deviceClasses[0].extendedResourceName 'example.com/gpu' is dropped without a word by 1.34 API servers"],
    ['a second scale for the control plane', chart => ({
      ...fullProps(chart), controlPlane: { target: ControlPlaneTarget.KUBEADM, scale: { nodes: 10, podCreationQps: 1 } },
    }), 'controlPlane.scale {"nodes":10,"podCreationQps":1} must be left out'],
    ['seamless upgrades on a cluster with old kubelets', chart => ({
      ...fullProps(chart), minKubeletVersion: '1.32',
    }), "upgrade 'seamless' needs kubelet 1.33 or newer on every node, but minKubeletVersion is '1.32'"],
  ])('%s', (_, props, message) => {
    expect(() => synthApp((__, chart) => new DraCluster(chart, 'cluster', props(chart)))).toThrow(message);
  });
});

test('kubernetesVersion reaches every driver and the control plane', () => {
  let cluster!: DraCluster;
  const files = synthApp((_, chart) => {
    cluster = new DraCluster(chart, 'cluster', {
      ...fullProps(chart),
      kubernetesVersion: '1.36',
      drivers: [{ driverName: 'gpu.example.com', image: 'a:1', deviceClasses: [{ name: 'gpu', extendedResourceName: 'example.com/gpu' }] }],
      controlPlane: { target: ControlPlaneTarget.KUBEADM, concurrentResourceClaimSyncs: 100 },
    });
  });
  expect(findObject(files.get('dra.k8s.yaml')!, 'DeviceClass').spec.extendedResourceName).toBe('example.com/gpu');
  expect(cluster.drivers).toHaveLength(1);
  // concurrentResourceClaimSyncs needs kubernetesVersion 1.36 on the control plane: it came from the cluster.
  expect(JSON.stringify(files.get('cluster-control-plane.k8s.yaml'))).toContain('concurrent-resourceclaim-syncs');
});

describe('DraCluster with a target that only writes node files', () => {
  let cluster!: DraCluster;
  const files = synthApp((_, chart) => {
    cluster = new DraCluster(chart, 'cluster', { ...fullProps(chart), controlPlane: { target: ControlPlaneTarget.K3S } });
  });

  test('writes no empty control-plane manifest', () => {
    expect([...files.keys()]).toEqual(['dra.k8s.yaml']);
    expect(cluster.controlPlaneChart).toBeUndefined();
  });

  test('still renders the node files from the declared scale', () => {
    const recommended = ControlPlaneSizing.recommend({ nodes: 500, podCreationQps: 20 });
    const dropIns = Object.entries(cluster.controlPlane!.files()).filter(([file]) => file.includes('config.yaml.d'));
    expect(dropIns.length).toBe(1);
    expect(dropIns[0][1]).toContain(`kube-api-qps=${recommended.controllerManagerQps}`);
  });
});

describe('DraCluster writes each Namespace once', () => {
  test('drivers sharing a namespace get it created once', () => {
    const files = synthApp((_, chart) => new DraCluster(chart, 'cluster', {
      ...fullProps(chart),
      drivers: [
        { driverName: 'gpu.example.com', image: 'gpu:1', namespace: 'dra', metricsPort: 8080 },
        { driverName: 'nic.example.com', image: 'nic:1', namespace: 'dra', metricsPort: 9090 },
      ],
    }));
    const namespaces = files.get('dra.k8s.yaml')!.filter(o => o.kind === 'Namespace').map(o => o.metadata.name);
    expect(namespaces).toEqual(['dra']);
    expect(findObjects(files.get('dra.k8s.yaml')!, 'DaemonSet').map(d => d.metadata.namespace)).toEqual(['dra', 'dra']);
  });

  test('a driver\'s default namespace counts too: another driver naming it explicitly shares it', () => {
    const files = synthApp((_, chart) => new DraCluster(chart, 'cluster', {
      ...fullProps(chart),
      drivers: [
        { driverName: 'nic.example.com', image: 'nic:1', namespace: 'gpu-example-com', metricsPort: 9090 },
        { driverName: 'gpu.example.com', image: 'gpu:1', metricsPort: 8080 },
      ],
    }));
    const objects = files.get('dra.k8s.yaml')!;
    expect(objects.filter(o => o.kind === 'Namespace').map(o => o.metadata.name)).toEqual(['gpu-example-com']);
    expect(findObjects(objects, 'DaemonSet').map(d => d.metadata.namespace)).toEqual(['gpu-example-com', 'gpu-example-com']);
  });

  test('an admin-access namespace cannot be a driver\'s namespace', () => {
    expect(() => synthApp((_, chart) => {
      const props = fullProps(chart);
      new DraCluster(chart, 'cluster', { ...props, rbac: { ...props.rbac!, adminAccessNamespaces: ['dra-gpu'] } });
    })).toThrow("DraCluster 'cluster' (dra/cluster): rbac.adminAccessNamespaces 'dra-gpu' is the namespace of driver gpu.example.com");
  });
});
