// Inputs that synthesized before issue 14 and are refused now, each with a DraValidationError
// that names the prop; and props of the wrong JavaScript type, which must never surface as a
// TypeError or as the YAML library's "Tag not resolved".
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import {
  ControlPlaneSizing, ControlPlaneTarget, DraCluster, DraDriver, DraDriverProps, DraGoodPractices, DraMonitoring, DraRbac, DraTunedControlPlane,
  DriverUpgrade,
} from '../src';
import { refusal } from './support/refusal';

const DRIVER: DraDriverProps = { driverName: 'gpu.example.com', image: 'registry.example.com/gpu/plugin:v1.0.0' };
const driver = (props: Partial<DraDriverProps> | any) => () => new DraDriver(Testing.chart(), 'gpu', { ...DRIVER, ...props });

describe('DraDriver', () => {
  test.each(['NOT/A_VALID::image@@!!', ':::', 'registry.example.com/gpü/plugin:v1', 'registry.example.com/plugin:v1 --privileged'])('image %j', image => {
    const error = refusal(driver({ image }));
    expect(error.prop).toBe('image');
    expect(error.rule).toMatch(/^must be a container image reference/);
  });

  test.each([1e300, 86401, 0, 1.5, NaN, Infinity])('terminationGracePeriodSeconds %d', terminationGracePeriodSeconds => {
    expect(refusal(driver({ terminationGracePeriodSeconds })).prop).toBe('terminationGracePeriodSeconds');
  });

  test('limits below requests', () => {
    const error = refusal(driver({
      resources: { requests: { memory: k8s.Quantity.fromString('1Gi') }, limits: { memory: k8s.Quantity.fromString('512Mi') } },
    }));
    expect(error.message).toContain("resources.limits['memory'] '512Mi' must be at least resources.requests['memory'] (1Gi)");
  });

  test.each(['1.30', 'v1.27.3'])('minKubeletVersion %s, older than the skew policy allows', minKubeletVersion => {
    const error = refusal(driver({ minKubeletVersion }));
    expect(error.prop).toBe('minKubeletVersion');
    expect(error.rule).toContain('version-skew policy');
  });

  test.each(['kube-system', 'default', 'kube-public', 'kube-node-lease'])('namespace %s that it would relabel privileged', namespace => {
    const error = refusal(driver({ namespace }));
    expect(error.prop).toBe('namespace');
    expect(error.rule).toContain('pod-security.kubernetes.io/enforce: privileged');
  });

  test('kube-system is accepted when the namespace is not created', () => {
    expect(() => driver({ namespace: 'kube-system', createNamespace: false })()).not.toThrow();
  });

  test.each<[string, object, string]>([
    ['driverName missing', { driverName: undefined }, 'driverName'],
    ['image a number', { image: 7 }, 'image'],
    ['upgrade {}', { upgrade: {} }, 'upgrade'],
    ['probe a plain object', { probe: { port: 51515 } }, 'probe'],
    ['terminationGracePeriodSeconds a string', { terminationGracePeriodSeconds: '30' }, 'terminationGracePeriodSeconds'],
    ['nodeSelector a list', { nodeSelector: ['a'] }, 'nodeSelector'],
    ['a function inside affinity', { affinity: { nodeAffinity: () => ({}) } }, 'affinity.nodeAffinity'],
    ['tolerations not a list', { tolerations: { key: 'a' } }, 'tolerations'],
    ['command a string', { command: 'run' }, 'command'],
    ['securityMode unknown', { securityMode: 'root' }, 'securityMode'],
    ['deviceClasses[0] a string', { deviceClasses: ['gpu'] }, 'deviceClasses[0]'],
  ])('%s names the prop', (_name, props, prop) => {
    expect(refusal(driver(props)).prop).toBe(prop);
  });

  test('a circular object inside env names its path', () => {
    const value: any = { name: 'A', value: 'b' };
    value.valueFrom = { loop: value };
    expect(refusal(driver({ env: [value] })).prop).toBe('env[0].valueFrom.loop');
  });

  test('no props at all (a JavaScript caller)', () => {
    expect(refusal(() => new (DraDriver as any)(Testing.chart(), 'gpu')).message).toBe("DraDriver 'gpu' (test/gpu): props must be an object, not undefined");
  });
});

describe('ControlPlaneSizing and DraTunedControlPlane', () => {
  test('nodes 1e308 is refused for what it is, not as an Infinity blamed on another prop', () => {
    const error = refusal(() => ControlPlaneSizing.recommend({ nodes: 1e308, podCreationQps: 10 }));
    expect(error.prop).toBe('nodes');
    expect(error.rule).toMatch(/^must be at most 1000000/);
  });

  test('nodes given as a string says it is a string', () => {
    const error = refusal(() => ControlPlaneSizing.recommend({ nodes: '100' as any, podCreationQps: 10 }));
    expect(error.message).toBe("ClusterScale: nodes '100' must be a number, not a string");
  });

  test('a scale error inside DraTunedControlPlane is blamed on scale.<field>', () => {
    const error = refusal(() => new DraTunedControlPlane(Testing.chart(), 'cp', { target: ControlPlaneTarget.KUBEADM, scale: { nodes: 1e308, podCreationQps: 10 } }));
    expect(error.prop).toBe('scale.nodes');
  });

  test.each<[string, object, string]>([
    ['target missing', { target: undefined }, 'target'],
    ['target unknown', { target: 'ansible' }, 'target'],
    ['controllerManager.qps a string', { controllerManager: { qps: '100', burst: 200 }, scheduler: { qps: 100, burst: 200 } }, 'controllerManager.qps'],
    ['scale a number', { scale: 100 }, 'scale'],
  ])('%s names the prop', (_name, props, prop) => {
    expect(refusal(() => new DraTunedControlPlane(Testing.chart(), 'cp', { target: ControlPlaneTarget.KUBEADM, scale: { nodes: 100, podCreationQps: 10 }, ...props } as any)).prop).toBe(prop);
  });

  test('explicit QPS/burst far below the model for the declared scale is a warning', () => {
    const tuning = new DraTunedControlPlane(Testing.chart(), 'cp', {
      target: ControlPlaneTarget.KUBEADM,
      scale: { nodes: 5000, podCreationQps: 100 },
      controllerManager: { qps: 20, burst: 30 },
    });
    expect(tuning.warnings.filter(w => w.startsWith('controllerManager.'))).toEqual([
      expect.stringMatching(/^controllerManager.qps 20 is less than 1\/2 of the \d+ the model gives/),
      expect.stringMatching(/^controllerManager.burst 30 is less than 1\/2 of the \d+ the model gives/),
    ]);
  });
});

describe('DraRbac subjects', () => {
  const rbac = (admins: kplus.ISubject[], extra: object = {}) => () => {
    const chart = Testing.chart();
    return new DraRbac(chart, 'rbac', { admins, ...extra });
  };
  const user = (name: string) => kplus.User.fromName(Testing.chart(), `u-${Math.random()}`, name);
  const group = (name: string) => kplus.Group.fromName(Testing.chart(), `g-${Math.random()}`, name);

  test.each(['', '   ', ' alice'])('User %j', name => {
    expect(refusal(rbac([user(name)])).prop).toBe('admins (User)');
  });

  test('a blank Group', () => {
    expect(refusal(rbac([group('\t')])).prop).toBe('admins (Group)');
  });

  test('a ServiceAccount written as a User is that ServiceAccount: refused where a driver\'s own is', () => {
    const chart = Testing.chart();
    const gpu = new DraDriver(chart, 'gpu', DRIVER);
    const error = refusal(() => new DraRbac(chart, 'rbac', {
      admins: [kplus.User.fromName(chart, 'sa', `system:serviceaccount:${gpu.namespace}:${gpu.serviceAccountName}`)],
      drivers: [gpu],
    }));
    expect(error.rule).toContain('is the kubelet plugin ServiceAccount of driver gpu.example.com');
  });

  test('a ServiceAccount written as a User is bound as the ServiceAccount', () => {
    const chart = Testing.chart();
    new DraRbac(chart, 'rbac', { admins: [kplus.User.fromName(chart, 'sa', 'system:serviceaccount:argocd:argocd-application-controller')] });
    const binding = Testing.synth(chart).find(o => o.kind === 'ClusterRoleBinding' && o.metadata.name === 'dra-admin');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'argocd-application-controller', namespace: 'argocd', apiGroup: '' }]);
  });

  test('an imported ServiceAccount without namespace (cdk8s-plus fills in default) is refused', () => {
    const chart = Testing.chart();
    const error = refusal(() => new DraRbac(chart, 'rbac', { admins: [kplus.ServiceAccount.fromServiceAccountName(chart, 'sa', 'deployer')] }));
    expect(error.prop).toBe('admins (ServiceAccount deployer) namespace');
    expect(error.rule).toContain('namespaceName');
  });

  test.each<[string, object, string]>([
    ['admins missing', { admins: undefined }, 'admins'],
    ['admins a subject, not a list', { admins: { kind: 'User' } }, 'admins'],
    ['an admin a string', { admins: ['alice'] }, 'admins[0]'],
    ['namePrefix a number', { namePrefix: 3 }, 'namePrefix'],
    ['adminAccessNamespaces a string', { adminAccessNamespaces: 'debug' }, 'adminAccessNamespaces'],
    ['a driver without a namespace', { drivers: [{ driverName: 'a.example.com', serviceAccountName: 'x' }] }, 'drivers[0].namespace'],
  ])('%s names the prop', (_name, props, prop) => {
    const chart = Testing.chart();
    expect(refusal(() => new DraRbac(chart, 'rbac', { admins: [kplus.Group.fromName(chart, 'g', 'platform')], ...props } as any)).prop).toBe(prop);
  });

  test('kube-system as an admin-access namespace (it would be relabelled)', () => {
    const chart = Testing.chart();
    expect(refusal(() => new DraRbac(chart, 'rbac', { admins: [kplus.Group.fromName(chart, 'g', 'platform')], adminAccessNamespaces: ['kube-system'] })).prop)
      .toBe('adminAccessNamespaces');
  });
});

describe('DraMonitoring thresholds so low that any traffic fires the alert', () => {
  test.each<[string, number]>([
    ['kubeletOperationSeconds', 0.001],
    ['pluginGrpcSeconds', 0.0001],
    ['schedulerAlgorithmSeconds', 0.0005],
    ['clientThrottlingSeconds', 0.001],
    ['resourceClaimQueueDepth', 0.5],
    ['driverContainerRestarts', 0.5],
  ])('%s %d', (key, value) => {
    const error = refusal(() => new DraMonitoring(Testing.chart(), 'monitoring', { runbookBaseUrl: 'https://git.example.com/runbooks.md', thresholds: { [key]: value } }));
    expect(error.prop).toBe(`thresholds.${key}`);
  });
});

describe('DraGoodPractices options of the wrong type', () => {
  test.each<[string, object, string]>([
    ['adminSubjects a string', { adminSubjects: 'Group:admins' }, 'adminSubjects'],
    ['adminSubjects with a number', { adminSubjects: [3] }, 'adminSubjects[0]'],
    ['a blank admin name', { adminSubjects: ['User: '] }, 'adminSubjects'],
    ['scale a string', { scale: '100' }, 'scale'],
    ['scale.nodes a string', { scale: { nodes: '100', podCreationQps: 1 } }, 'scale.nodes'],
    ['minKubeletVersion too old', { minKubeletVersion: '1.29' }, 'minKubeletVersion'],
    ['registrationDirs relative', { registrationDirs: ['var/lib/kubelet/plugins_registry'] }, 'registrationDirs'],
  ])('%s', (_name, options, prop) => {
    expect(refusal(() => DraGoodPractices.checkObjects([], options as any)).prop).toBe(prop);
  });
});

describe('DraCluster', () => {
  test('two DraClusters in one App each check their own subtree', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'two-clusters-')) });
    const a = new DraCluster(new Chart(app, 'cluster-a'), 'a', { drivers: [{ ...DRIVER, driverName: 'a.example.com' }], monitoring: { name: 'dra-a', runbookBaseUrl: 'https://git.example.com/runbooks.md' } });
    const b = new DraCluster(new Chart(app, 'cluster-b'), 'b', {
      drivers: [{ ...DRIVER, driverName: 'b.example.com', upgrade: DriverUpgrade.seamless() }],
      minKubeletVersion: '1.33',
      monitoring: { name: 'dra-b', runbookBaseUrl: 'https://git.example.com/runbooks.md' },
    });
    const reportOf = (cluster: DraCluster) => (cluster.node.findChild('DraGoodPractices') as DraGoodPractices).report();
    const objectsUnder = (cluster: DraCluster) => cluster.node.findAll().filter(c => ApiObject.isApiObject(c)).length;
    expect(reportOf(a).objectCount).toBe(objectsUnder(a));
    expect(reportOf(b).objectCount).toBe(objectsUnder(b));
    expect(() => app.synth()).not.toThrow();
  });

  test('minKubeletVersion older than the control plane\'s skew allows', () => {
    const error = refusal(() => new DraCluster(new App(), 'c', {
      minKubeletVersion: '1.32',
      controlPlane: { target: ControlPlaneTarget.KUBEADM, kubernetesVersion: '1.36', controllerManager: { qps: 100, burst: 200 }, scheduler: { qps: 100, burst: 200 } },
    }));
    expect(error.message).toContain('a 1.36 control plane serves kubelets down to 1.33');
  });

  test.each<[string, object, string]>([
    ['drivers an object', { drivers: { driverName: 'x' } }, 'drivers'],
    ['goodPractices a string', { goodPractices: 'no' }, 'goodPractices'],
    ['rbac a list', { rbac: [] }, 'rbac'],
  ])('%s names the prop', (_name, props, prop) => {
    expect(refusal(() => new DraCluster(new App(), 'c', props as any)).prop).toBe(prop);
  });

  test('upgrade of the wrong type inside a driver names the driver prop', () => {
    expect(refusal(() => new DraCluster(new App(), 'c', { drivers: [{ ...DRIVER, upgrade: {} as DriverUpgrade }], goodPractices: false })).prop).toBe('upgrade');
  });
});
