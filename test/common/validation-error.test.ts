import { App, Chart, Testing } from 'cdk8s';
import { ControlPlaneSizing, DraDriver, DraErrors, DraGoodPractices } from '../../src';
import { describeConstruct, formatValue, invalidProp } from '../../src/common/errors';
import { refusal } from '../support/refusal';

describe('DraValidationError', () => {
  test('carries the construct path, prop, value and rule, with the message in its usual form', () => {
    const chart = Testing.chart();
    const error = refusal(() => new DraDriver(chart, 'gpu', { driverName: 'GPU_1', image: 'registry.example.com/gpu:v1' }));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DraValidationError');
    expect(error.constructPath).toBe('test/gpu');
    expect(error.prop).toBe('driverName');
    expect(error.value).toBe('GPU_1');
    expect(error.rule).toMatch(/^must be a DNS subdomain/);
    expect(error.message).toBe(`DraDriver 'gpu' (test/gpu): driverName 'GPU_1' ${error.rule}`);
  });

  test('DraErrors.isValidationError tells refusals from other errors (for jsii languages, where the class is not modelled)', () => {
    expect(DraErrors.isValidationError(refusal(() => new DraDriver(Testing.chart(), 'gpu', {} as any)))).toBe(true);
    expect(DraErrors.isValidationError(new Error('x'))).toBe(false);
    expect(DraErrors.isValidationError(undefined)).toBe(false);
  });

  test('a prop left out is named without a value', () => {
    const error = refusal(() => new DraDriver(Testing.chart(), 'gpu', { driverName: 'gpu.example.com' } as any));
    expect(error.message).toBe("DraDriver 'gpu' (test/gpu): image is required");
    expect(error.value).toBeUndefined();
  });

  test('DraGoodPractices at the App root is named DraGoodPractices, not "App \'\' ()"', () => {
    const error = refusal(() => DraGoodPractices.of(new App(), { minKubeletVersion: 'one' }));
    expect(error.message).toBe("DraGoodPractices: minKubeletVersion 'one' must be a Kubernetes version such as 1.33 or v1.34.2");
    expect(error.constructPath).toBe('');
  });

  test('DraGoodPractices on a chart names the chart', () => {
    const chart = new Chart(new App(), 'platform');
    const error = refusal(() => DraGoodPractices.of(chart, { defaultNamespace: 'Not A Namespace' }));
    expect(error.message).toBe("DraGoodPractices of Chart 'platform' (platform): defaultNamespace 'Not A Namespace' must be a DNS label (RFC 1123)");
  });

  test('input that belongs to no construct is named by what it is', () => {
    const error = refusal(() => ControlPlaneSizing.recommend({ nodes: -3, podCreationQps: 1 }));
    expect(error.message).toBe('ClusterScale: nodes -3 must be a positive finite number');
    expect(error.constructPath).toBe('');
  });

  test('the root of the tree is described by its class alone', () => {
    expect(describeConstruct(new App())).toBe('App');
    expect(() => invalidProp(new App(), 'x', 1, 'is wrong')).toThrow(/^App: x 1 is wrong$/);
  });
});

describe('formatValue never fails on a value it describes', () => {
  test.each([
    ['a string', 'gpu', "'gpu'"],
    ['a number', 3, '3'],
    ['NaN', NaN, 'NaN'],
    ['Infinity', Infinity, 'Infinity'],
    ['a BigInt', BigInt(7), '7n'],
    ['a symbol', Symbol('s'), 'Symbol(s)'],
    ['a named function', function probe() { return 1; }, 'a function (probe)'],
    ['an object', { a: [1, 'b'] }, '{"a":[1,"b"]}'],
    ['undefined', undefined, 'undefined'],
  ])('%s', (_name, value, shown) => {
    expect(formatValue(value)).toBe(shown);
  });

  test('a circular object', () => {
    const circular: any = { name: 'x' };
    circular.self = circular;
    expect(formatValue(circular)).toBe('a circular object');
  });

  test('a very long value is cut, with its length said', () => {
    const shown = formatValue('x'.repeat(5000));
    expect(shown.length).toBeLessThan(1100);
    expect(shown).toMatch(/\.\.\. \(5002 characters\)$/);
  });
});
