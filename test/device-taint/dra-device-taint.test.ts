// The official schemas the harness validates against predate resource.k8s.io/v1 DeviceTaintRule
// (1.37): the real 1.37 API server judges these objects in test/real-cluster/device-taint.test.ts.
import { Testing } from 'cdk8s';
import { DeviceTaintEffect, DraDeviceTaint, DraDeviceTaintProps, DraGoodPractices } from '../../src';
import { testChart } from '../support/harness';

const NODE_DRAIN: DraDeviceTaintProps = {
  kubernetesVersion: '1.37',
  driver: 'gpu.example.com',
  pool: 'node-1',
  effect: DeviceTaintEffect.NO_EXECUTE,
  reason: 'node-drain',
};

function taintRule(props: DraDeviceTaintProps): any {
  const chart = testChart();
  new DraDeviceTaint(chart, 'drain', props);
  const objects = Testing.synth(chart);
  expect(objects).toHaveLength(1);
  return objects[0];
}

describe('DraDeviceTaint', () => {
  test('taints one pool of one driver with a resource.k8s.io/v1 DeviceTaintRule, named after what it selects', () => {
    expect(taintRule(NODE_DRAIN)).toEqual({
      apiVersion: 'resource.k8s.io/v1',
      kind: 'DeviceTaintRule',
      metadata: {
        name: 'gpu.example.com-node-1',
        labels: expect.objectContaining({ 'app.kubernetes.io/name': 'gpu-example-com', 'app.kubernetes.io/component': 'device-taint' }),
      },
      spec: {
        deviceSelector: { driver: 'gpu.example.com', pool: 'node-1' },
        taint: { key: 'resource.cdk8s-dra.io/maintenance', value: 'node-drain', effect: 'NoExecute' },
      },
    });
  });

  test('selects one device, or every device of the driver; NoSchedule; a key and name of the admin\'s choice', () => {
    const one = taintRule({ kubernetesVersion: 'v1.38.0-beta.0', driver: 'gpu.example.com', pool: 'rack-1/node-1', device: 'gpu-3', effect: DeviceTaintEffect.NO_SCHEDULE });
    expect(one.metadata.name).toBe('gpu.example.com-rack-1-node-1-gpu-3');
    expect(one.spec).toEqual({
      deviceSelector: { driver: 'gpu.example.com', pool: 'rack-1/node-1', device: 'gpu-3' },
      taint: { key: 'resource.cdk8s-dra.io/maintenance', effect: 'NoSchedule' },
    });
    const all = taintRule({ ...NODE_DRAIN, pool: undefined, key: 'example.com/firmware', name: 'gpu-firmware-update' });
    expect(all.metadata.name).toBe('gpu-firmware-update');
    expect(all.spec.deviceSelector).toEqual({ driver: 'gpu.example.com' });
    expect(all.spec.taint.key).toBe('example.com/firmware');
  });

  test('exposes the rule, its name and effect', () => {
    const taint = new DraDeviceTaint(testChart(), 'drain', NODE_DRAIN);
    expect(taint.name).toBe('gpu.example.com-node-1');
    expect(taint.effect).toBe(DeviceTaintEffect.NO_EXECUTE);
    expect(taint.deviceTaintRule.kind).toBe('DeviceTaintRule');
  });

  test.each(['1.36', 'v1.36.3', '1.35', '1.34'])('refuses kubernetesVersion %s: DeviceTaintRule is resource.k8s.io/v1 from 1.37', version => {
    expect(() => new DraDeviceTaint(testChart(), 'drain', { ...NODE_DRAIN, kubernetesVersion: version })).toThrow(
      `DraDeviceTaint 'drain' (test/drain): kubernetesVersion '${version}' must be 1.37 or later: DeviceTaintRule is served as resource.k8s.io/v1, on by default, from 1.37; `
      + '1.36 serves it only as v1beta2 with the DRADeviceTaintRules gate and runtime-config turned on, 1.35 only as alpha v1alpha3');
  });

  test.each([
    ['kubernetesVersion', '1.39', 'must be 1.38 or older'],
    ['driver', 'GPU_Example', 'must be a DNS subdomain'],
    ['pool', 'node_1', 'must be a pool name'],
    ['device', 'gpu.0', 'must be a device name'],
    ['key', 'bad key', 'must be a label key'],
    ['reason', 'node drain', 'must be a label value'],
    ['name', 'Drain', 'must be a DNS subdomain'],
  ])('refuses %s %s', (prop, value, rule) => {
    expect(() => new DraDeviceTaint(testChart(), 'drain', { ...NODE_DRAIN, [prop]: value }))
      .toThrow(`DraDeviceTaint 'drain' (test/drain): ${prop} '${value}' ${rule}`);
  });

  test('refuses a default name that is not a DNS subdomain, asking for one', () => {
    expect(() => new DraDeviceTaint(testChart(), 'drain', { ...NODE_DRAIN, pool: `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(50)}` }))
      .toThrow(/name '.*' is the default DeviceTaintRule name \(driver, pool and device joined by "-"\), which is not a DNS subdomain: set name/);
  });

  test('refuses an effect that is not a DeviceTaintEffect (None, PreferNoSchedule)', () => {
    expect(() => new DraDeviceTaint(testChart(), 'drain', { ...NODE_DRAIN, effect: 'PreferNoSchedule' as DeviceTaintEffect }))
      .toThrow(/DraDeviceTaint 'drain' \(test\/drain\): effect 'PreferNoSchedule' must be/);
  });

  test('passes the good-practice checks at its version', () => {
    const chart = testChart();
    new DraDeviceTaint(chart, 'drain', NODE_DRAIN);
    expect(DraGoodPractices.checkObjects(Testing.synth(chart), { kubernetesVersion: '1.37' }).findings).toEqual([]);
  });
});
