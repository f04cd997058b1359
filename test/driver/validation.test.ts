import { k8s, PercentOrAbsolute } from 'cdk8s-plus-28';
import { attempt, pluginContainer } from './support';
import { DraDriverProps, DriverProbe, DriverUpgrade } from '../../src';
import { expectValidObjects, findObject } from '../support/harness';

/** Every rejection names the construct, the prop and the value, and writes nothing. */
function expectRejected(props: Partial<DraDriverProps>, prop: string, value: string, rule: RegExp): void {
  const { message, objects } = attempt(props);
  expect(message).toContain("DraDriver 'gpu' (test/gpu): ");
  expect(message).toContain(`${prop} ${value}`);
  expect(message).toMatch(rule);
  expect(objects).toEqual([]);
}

describe('bad input stops synthesis with prop, value and rule', () => {
  test.each([
    ['GPU_1'],
    ['-gpu.example.com'],
    ['gpu..example.com'],
    [''],
  ])('driverName %j is not a DNS subdomain', driverName => {
    expectRejected({ driverName }, 'driverName', `'${driverName}'`, /must be a DNS subdomain/);
  });

  test('driverName longer than 63 characters (resource.k8s.io DriverNameMaxLength)', () => {
    expect(attempt({ driverName: `${'a'.repeat(51)}.example.com`, name: 'long' }).message).toBe('');
    const driverName = `${'a'.repeat(52)}.example.com`;
    expectRejected({ driverName, name: 'long' }, 'driverName', `'${driverName}'`,
      /is longer than 63 characters: a DRA driver name is at most 63 characters \(resource\.k8s\.io DriverNameMaxLength\)/);
  });

  test('driverName too long for the registration socket', () => {
    // microk8s: '/var/snap/microk8s/common/var/lib/kubelet/plugins_registry/' (59) + name + '-reg.sock' (9):
    // 107 characters fit, 108 do not.
    const kubeletRootDir = '/var/snap/microk8s/common/var/lib/kubelet';
    expect(attempt({ driverName: `${'a'.repeat(27)}.example.com`, kubeletRootDir }).message).toBe('');
    const driverName = `${'a'.repeat(28)}.example.com`;
    const { message } = attempt({ driverName, kubeletRootDir });
    expect(message).toContain(`driverName '${driverName}' is too long for the kubelet plugin socket ${kubeletRootDir}/plugins_registry/${driverName}-reg.sock`);
    expect(message).toMatch(/at most 107/);
  });

  test('socket length counts the pod UID that seamless upgrades add', () => {
    const driverName = 'compute-domain.example.com'; // 26 characters: fits without the UID
    expect(attempt({ driverName }).message).toBe('');
    const { message, objects } = attempt({ driverName, upgrade: DriverUpgrade.seamless(), minKubeletVersion: '1.34', kubeletRootDir: '/var/lib/k0s/kubelet' });
    expect(message).toContain('plugins_registry/compute-domain.example.com-<pod-uid>-reg.sock');
    expect(objects).toEqual([]);
  });

  test.each([[0], [-1], [65536], [51515.5]])('probe port %p', port => {
    expectRejected({ probe: DriverProbe.grpc({ port }) }, 'probe.port', String(port), /must be a TCP port from 1 to 65535/);
    expectRejected({ probe: DriverProbe.httpGet({ port }) }, 'probe.port', String(port), /must be a TCP port from 1 to 65535/);
  });

  test('metricsPort out of range or equal to the gRPC health port', () => {
    expectRejected({ metricsPort: 70000 }, 'metricsPort', '70000', /TCP port/);
    expectRejected({ metricsPort: 51515 }, 'metricsPort', '51515', /is the gRPC health port: a gRPC server does not serve HTTP \/metrics/);
  });

  test('seamless upgrades with a kubelet older than 1.33', () => {
    expectRejected({ upgrade: DriverUpgrade.seamless(), minKubeletVersion: '1.32' }, 'upgrade', "'seamless'",
      /needs kubelet 1\.33 or newer on every node, but minKubeletVersion is '1\.32': an older kubelet unregisters the driver/);
  });

  test('seamless upgrades with the default minimum kubelet (1.31, the skew policy\'s oldest) ask for minKubeletVersion', () => {
    expectRejected({ upgrade: DriverUpgrade.seamless() }, 'upgrade', "'seamless'", /minKubeletVersion is '1\.31'.*set minKubeletVersion/);
  });

  test('seamless upgrades with kubelet 1.33 and v1.34.2 are accepted', () => {
    expect(attempt({ upgrade: DriverUpgrade.seamless(), minKubeletVersion: '1.33' }).message).toBe('');
    expect(attempt({ upgrade: DriverUpgrade.seamless(), minKubeletVersion: 'v1.34.2' }).message).toBe('');
  });

  test('minKubeletVersion that is not a version', () => {
    expectRejected({ minKubeletVersion: 'latest' }, 'minKubeletVersion', "'latest'", /must be a Kubernetes version/);
  });

  test('maxUnavailable of zero would block every rollout', () => {
    expectRejected({ upgrade: DriverUpgrade.rollingUpdate({ maxUnavailable: PercentOrAbsolute.absolute(0) }) },
      'upgrade.maxUnavailable', '0', /zero would block every rollout/);
    expectRejected({ upgrade: DriverUpgrade.rollingUpdate({ maxUnavailable: PercentOrAbsolute.percent(150) }) },
      'upgrade.maxUnavailable', "'150%'", /percentage from 1% to 100%/);
  });

  test.each([['Dra_GPU'], ['a'.repeat(64)], ['-x']])('namespace %j', namespace => {
    expectRejected({ namespace }, 'namespace', `'${namespace}'`, /must be a DNS label/);
  });

  test.each([[''], ['  '], ['registry.example.com/gpu plugin:v1']])('image %j', image => {
    expectRejected({ image }, 'image', `'${image}'`, /must be a container image reference/);
  });

  test('the longest driver name gives a valid default name; a bad `name` is refused', () => {
    const driverName = `${'a'.repeat(51)}.example.com`;
    const { message, objects } = attempt({ driverName });
    expect(message).toBe('');
    expect(findObject(objects, 'DaemonSet').metadata.name).toBe(`${'a'.repeat(51)}-example-com-kubelet-plugin`);
    expectRejected({ name: 'GPU' }, 'name', "'GPU'", /must be a DNS label/);
  });

  test('a name too long for the metrics Service', () => {
    expect(attempt({ name: 'a'.repeat(40), metricsPort: 8080 }).message).toBe('');
    expectRejected({ name: 'a'.repeat(41), metricsPort: 8080 }, 'name', `'${'a'.repeat(41)}'`, /metrics Service name .* longer than 63/);
  });


  test('terminationGracePeriodSeconds, priorityClassPodQuota, paths, serviceMonitor without metrics', () => {
    expectRejected({ terminationGracePeriodSeconds: 0 }, 'terminationGracePeriodSeconds', '0', /positive whole number/);
    expectRejected({ priorityClassName: 'Node_Critical' }, 'priorityClassName', "'Node_Critical'", /must be a DNS subdomain/);
    expectRejected({ priorityClassPodQuota: 0 }, 'priorityClassPodQuota', '0', /positive whole number/);
    expectRejected({ kubeletRootDir: 'var/lib/kubelet' }, 'kubeletRootDir', "'var/lib/kubelet'", /must be an absolute path/);
    expectRejected({ cdiDir: '/var/run/../cdi' }, 'cdiDir', "'/var/run/../cdi'", /must be an absolute path/);
    expectRejected({ serviceMonitor: true }, 'serviceMonitor', 'true', /needs metricsPort/);
  });
});

/** The whole message, so the rule users read is pinned down too. */
function expectRefused(props: Partial<DraDriverProps>, message: string): void {
  const result = attempt(props);
  expect(result.message).toBe(`DraDriver 'gpu' (test/gpu): ${message}`);
  expect(result.objects).toEqual([]);
}

const LABEL_KEY = 'must be a label key: an optional DNS-subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or "." that start and end with a letter or digit';
const LABEL_VALUE = 'must be a label value: empty, or at most 63 letters, digits, "-", "_" or "." that start and end with a letter or digit';
const ENV_NAME = 'must be a non-empty environment variable name of printable ASCII characters other than "="';
const QUANTITY = 'must be a non-negative Kubernetes quantity such as 500m, 2, 1.5, 64Mi or 1e3 (suffixes Ki Mi Gi Ti Pi Ei, n u m k M G T P E)';

describe('pod template and ServiceMonitor props are checked with the API server\'s rules', () => {
  test.each([
    ['bad key!'], ['-starts-with-dash'], ['ends.with.dot.'], [''], ['Example.com/gpu'], ['a/b/c'], ['/no-prefix'],
    [`example.com/${'a'.repeat(64)}`], [`${'a'.repeat(254)}/gpu`],
  ])('nodeSelector key %j', key => {
    expectRefused({ nodeSelector: { [key]: 'true' } }, `nodeSelector key '${key}' ${LABEL_KEY}`);
  });

  test.each([['x y'], ['a'.repeat(64)], ['-true'], ['true_']])('nodeSelector value %j', value => {
    expectRefused({ nodeSelector: { 'example.com/gpu': value } }, `nodeSelector['example.com/gpu'] '${value}' ${LABEL_VALUE}`);
  });

  test('label keys and values at the limits are accepted', () => {
    const nodeSelector = {
      [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}/${'N'.repeat(63)}`]: 'v'.repeat(63),
      'feature.node.kubernetes.io/pci-10de.present': 'true',
      'Upper_Case.name': '',
      'x': 'A-b_c.9',
    };
    const { message, objects } = attempt({ nodeSelector, serviceMonitorLabels: { 'release': 'kube-prometheus-stack', 'team.example.com/owner': '' }, metricsPort: 8080 });
    expect(message).toBe('');
    expect(findObject(objects, 'DaemonSet').spec.template.spec.nodeSelector).toEqual(nodeSelector);
    expect(findObject(objects, 'ServiceMonitor').metadata.labels.release).toBe('kube-prometheus-stack');
    expectValidObjects(objects);
  });

  test('serviceMonitorLabels', () => {
    expectRefused({ metricsPort: 8080, serviceMonitorLabels: { 'a b': 'x' } }, `serviceMonitorLabels key 'a b' ${LABEL_KEY}`);
    expectRefused({ metricsPort: 8080, serviceMonitorLabels: { release: 'x y' } }, `serviceMonitorLabels['release'] 'x y' ${LABEL_VALUE}`);
  });

  test.each([[''], ['A=B'], ['tab\there'], ['caf\u00e9'], ['new\nline']])('env name %j', name => {
    expectRefused({ env: [{ name, value: 'x' }] }, `env[0].name '${name}' ${ENV_NAME}`);
  });

  test('env names that Kubernetes 1.34 accepts (relaxed validation is GA) are accepted', () => {
    const env = [{ name: '1 bad', value: 'a' }, { name: 'my.env-name', value: 'b' }, { name: '$weird:{}~', value: 'c' }];
    const { message, objects } = attempt({ env });
    expect(message).toBe('');
    expect(pluginContainer(objects).env.slice(-3)).toEqual(env);
    expectValidObjects(objects);
  });

  test('env names set twice, or set by DraDriver itself', () => {
    expectRefused({ env: [{ name: 'LOG_LEVEL', value: '1' }, { name: 'X', value: '' }, { name: 'LOG_LEVEL', value: '2' }] },
      "env[2].name 'LOG_LEVEL' is already set by env[0]: environment variable names must be unique");
    const reserved = 'NODE_NAME, NAMESPACE, POD_UID, HEALTHCHECK_PORT, METRICS_PORT, KUBELET_REGISTRAR_DIRECTORY_PATH, KUBELET_PLUGINS_DIRECTORY_PATH, CDI_ROOT';
    for (const name of reserved.split(', ')) {
      expectRefused({ env: [{ name, value: 'x' }] }, `env[0].name '${name}' is set by DraDriver itself (${reserved})`);
    }
  });

  test('tolerations', () => {
    expectRefused({ tolerations: [{ key: 'example.com/gpu', operator: 'Bogus' }] },
      "tolerations[0].operator 'Bogus' must be Equal or Exists (or unset, meaning Equal)");
    expectRefused({ tolerations: [{ key: 'example.com/gpu', operator: 'Exists' }, { key: 'example.com/gpu', effect: 'NoScheduleNoAdmit' }] },
      "tolerations[1].effect 'NoScheduleNoAdmit' must be NoSchedule, PreferNoSchedule, NoExecute or empty (every effect)");
    expectRefused({ tolerations: [{ key: 'example.com/gpu', operator: 'Exists', value: 'present' }] },
      "tolerations[0].value 'present' must be empty when operator is Exists");
    expectRefused({ tolerations: [{ operator: 'Equal', value: 'x' }] },
      "tolerations[0].operator 'Equal' must be Exists when key is empty (which tolerates every taint)");
    expectRefused({ tolerations: [{ effect: 'NoSchedule' }] },
      "tolerations[0].operator 'Equal' must be Exists when key is empty (which tolerates every taint)");
    expectRefused({ tolerations: [{ key: 'bad key', operator: 'Exists' }] }, `tolerations[0].key 'bad key' ${LABEL_KEY}`);
    expectRefused({ tolerations: [{ key: 'example.com/gpu', value: 'x y' }] }, `tolerations[0].value 'x y' ${LABEL_VALUE}`);
    expectRefused({ tolerations: [{ key: 'example.com/gpu', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 60 }] },
      'tolerations[0].tolerationSeconds 60 needs effect NoExecute: only NoExecute taints evict after a delay');
  });

  test('valid tolerations are accepted and written after the drain-late ones', () => {
    const tolerations = [
      { operator: 'Exists' },
      { key: 'example.com/gpu', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'example.com/gpu', value: 'present', effect: 'PreferNoSchedule' },
      { key: 'dedicated', operator: 'Equal', value: '' },
    ];
    const { message, objects } = attempt({ tolerations });
    expect(message).toBe('');
    expect(findObject(objects, 'DaemonSet').spec.template.spec.tolerations.slice(-4)).toEqual(tolerations);
    expectValidObjects(objects);
    // An empty effect matches every effect: the 1.34 API server and schema accept it (kubernetes-models'
    // older schema has an enum without it, so this one is not schema-checked here).
    expect(attempt({ tolerations: [{ key: 'dedicated', operator: 'Exists', effect: '' }] }).message).toBe('');
  });

  test.each([['lots'], ['1.5.5'], ['64MB'], ['1e'], ['.'], ['-1'], ['-0.5Gi'], ['1 Gi'], ['']])('resource quantity %j', quantity => {
    expectRefused({ resources: { requests: { memory: k8s.Quantity.fromString(quantity) } } },
      `resources.requests['memory'] '${quantity}' ${QUANTITY}`);
  });

  test('numeric quantities must be finite and not negative; resource names standard or domain-prefixed', () => {
    expectRefused({ resources: { limits: { cpu: k8s.Quantity.fromNumber(-1) } } }, `resources.limits['cpu'] -1 ${QUANTITY}`);
    expectRefused({ resources: { limits: { cpu: k8s.Quantity.fromNumber(NaN) } } }, `resources.limits['cpu'] NaN ${QUANTITY}`);
    expectRefused({ resources: { limits: { gpu: k8s.Quantity.fromNumber(1) } } },
      "resources.limits key 'gpu' must be cpu, memory, ephemeral-storage, hugepages-<size> or a domain-prefixed extended resource such as example.com/gpu");
  });

  test('quantities of every suffix and form are accepted', () => {
    const quantities = ['0', '-0', '+1', '1.', '.5', '1.5', '500m', '100n', '10u', '2k', '1M', '1G', '1T', '1P', '1E', '1e3', '1E-2', '1e+2', '64Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];
    for (const quantity of quantities) {
      expect(attempt({ resources: { requests: { memory: k8s.Quantity.fromString(quantity) } } }).message).toBe('');
    }
    const resources = {
      requests: { 'cpu': k8s.Quantity.fromNumber(0.5), 'ephemeral-storage': k8s.Quantity.fromString('1Gi'), 'hugepages-2Mi': k8s.Quantity.fromString('4Mi') },
      limits: { 'example.com/gpu': k8s.Quantity.fromNumber(1), 'memory': k8s.Quantity.fromString('128Mi') },
    };
    const { message, objects } = attempt({ resources });
    expect(message).toBe('');
    expect(pluginContainer(objects).resources).toEqual({
      requests: { 'cpu': 0.5, 'ephemeral-storage': '1Gi', 'hugepages-2Mi': '4Mi' },
      limits: { 'example.com/gpu': 1, 'memory': '128Mi' },
    });
    expectValidObjects(objects);
  });

  test('command and args entries must be strings; empty strings are fine', () => {
    expectRefused({ args: ['--v=4', undefined as unknown as string] }, 'args[1] must be a string, not undefined');
    expectRefused({ command: [42 as unknown as string] }, 'command[0] 42 must be a string, not a number');
    const { message, objects } = attempt({ command: ['/bin/plugin'], args: ['--flag', ''] });
    expect(message).toBe('');
    expect(pluginContainer(objects).args).toEqual(['--flag', '']);
    expectValidObjects(objects);
  });
});
