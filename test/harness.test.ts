import { ApiObject } from 'cdk8s';
import { expectValidObjects, synthValid, testChart, validateObjects } from './support/harness';
import { KubeDeviceClass } from '../src/imports/k8s';
import { PrometheusRule } from '../src/imports/monitoring.coreos.com';

describe('official-schema validation harness', () => {
  test('a generated DeviceClass synthesizes as resource.k8s.io/v1 and validates', () => {
    const chart = testChart();
    new KubeDeviceClass(chart, 'gpu', {
      metadata: { name: 'gpu.example.com' },
      spec: { selectors: [{ cel: { expression: 'device.driver == "gpu.example.com"' } }] },
    });
    const [dc] = synthValid(chart);
    expect(dc.apiVersion).toBe('resource.k8s.io/v1');
    expect(dc.kind).toBe('DeviceClass');
    expect(dc.spec.selectors[0].cel.expression).toBe('device.driver == "gpu.example.com"');
  });

  test('rejects a DeviceClass selector without cel.expression', () => {
    const chart = testChart();
    new KubeDeviceClass(chart, 'gpu', { metadata: { name: 'gpu' }, spec: { selectors: [{ cel: {} as any }] } });
    const [result] = validateObjects(Object.values(chart.toJson()));
    expect(result.errors.join('\n')).toMatch(/selectors\/0\/cel must have required property 'expression'|must have required property expression/);
    expect(() => synthValid(chart)).toThrow(/DeviceClass gpu/);
  });

  test('rejects a DaemonSet whose container has no name and whose selector is not an object', () => {
    expect(() => expectValidObjects([{
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'plugin' },
      spec: { selector: 'app=plugin', template: { spec: { containers: [{ image: 'x' }] } } },
    }])).toThrow(/DaemonSet plugin:[\s\S]*selector[\s\S]*containers\/0 must have required property/);
  });

  test('accepts a valid DaemonSet, so rejections above come from the schema and not from the harness', () => {
    expect(() => expectValidObjects([{
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'plugin' },
      spec: {
        selector: { matchLabels: { app: 'plugin' } },
        template: { metadata: { labels: { app: 'plugin' } }, spec: { containers: [{ name: 'plugin', image: 'x' }] } },
      },
    }])).not.toThrow();
  });

  test('validates monitoring.coreos.com kinds with the prometheus-operator models', () => {
    const chart = testChart();
    new PrometheusRule(chart, 'rules', { metadata: { name: 'dra' }, spec: { groups: [{ name: 'dra', rules: [{ record: 'x:y', expr: {} as any }] }] } });
    const [result] = validateObjects(Object.values(chart.toJson()));
    expect(result.kind).toBe('PrometheusRule');
    expect(result.errors.length).toBeGreaterThan(0);
  });

  test('an object whose kind has no schema fails instead of slipping through', () => {
    const chart = testChart();
    new ApiObject(chart, 'odd', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    expect(() => synthValid(chart)).toThrow(/no official schema for example.com\/v1 Widget/);
  });
});
