import { Testing } from 'cdk8s';
import { PercentOrAbsolute } from 'cdk8s-plus-28';
import { DraDriver, DraDriverProps, DriverUpgrade } from '../../src';
import { testChart } from '../support/harness';

const BASE: DraDriverProps = { driverName: 'gpu.example.com', image: 'registry.example.com/gpu-kubelet-plugin:v1.2.3' };

/** Builds a driver with bad props; returns the error and what the chart would still write. */
function attempt(props: Partial<DraDriverProps>): { message: string; objects: any[] } {
  const chart = testChart();
  let message = '';
  try {
    new DraDriver(chart, 'gpu', { ...BASE, ...props });
  } catch (error) {
    message = (error as Error).message;
  }
  return { message, objects: Testing.synth(chart) };
}

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

  test.each([[0], [-1], [65536], [51515.5]])('healthcheckPort %p', healthcheckPort => {
    expectRejected({ healthcheckPort }, 'healthcheckPort', String(healthcheckPort), /must be a TCP port from 1 to 65535/);
  });

  test('metricsPort out of range or equal to the health port', () => {
    expectRejected({ metricsPort: 70000 }, 'metricsPort', '70000', /TCP port/);
    expectRejected({ metricsPort: 51515 }, 'metricsPort', '51515', /must differ from healthcheckPort/);
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
    expect(objects.find(o => o.kind === 'DaemonSet').metadata.name).toBe(`${'a'.repeat(51)}-example-com-kubelet-plugin`);
    expectRejected({ name: 'GPU' }, 'name', "'GPU'", /must be a DNS label/);
  });

  test('a name too long for the metrics Service', () => {
    expect(attempt({ name: 'a'.repeat(40), metricsPort: 8080 }).message).toBe('');
    expectRejected({ name: 'a'.repeat(41), metricsPort: 8080 }, 'name', `'${'a'.repeat(41)}'`, /metrics Service name .* longer than 63/);
  });

  test('env names the library sets itself', () => {
    expectRejected({ env: [{ name: 'NODE_NAME', value: 'x' }] }, 'env', "'NODE_NAME'", /is set by DraDriver itself/);
  });

  test('terminationGracePeriodSeconds, priorityClassPodQuota, paths, serviceMonitor without metrics', () => {
    expectRejected({ terminationGracePeriodSeconds: 0 }, 'terminationGracePeriodSeconds', '0', /positive whole number/);
    expectRejected({ priorityClassName: 'Node_Critical' }, 'priorityClassName', "'Node_Critical'", /must be a DNS subdomain/);
    expectRejected({ priorityClassPodQuota: 0 }, 'priorityClassPodQuota', '0', /positive whole number/);
    expectRejected({ kubeletRootDir: 'var/lib/kubelet' }, 'kubeletRootDir', "'var/lib/kubelet'", /absolute host path/);
    expectRejected({ cdiDir: '/var/run/../cdi' }, 'cdiDir', "'/var/run/../cdi'", /absolute host path/);
    expectRejected({ serviceMonitor: true }, 'serviceMonitor', 'true', /needs metricsPort/);
  });
});
