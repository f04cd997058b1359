import { Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { isImageReference } from '../../src/common/image-reference';
import { checkWholeNumber, isDecimalNumber } from '../../src/common/numbers';
import { checkProps, data, optional, struct } from '../../src/common/prop-types';
import { checkLimitsNotBelowRequests, quantityAmount } from '../../src/common/quantity';
import { checkCreatedNamespace } from '../../src/common/system-namespaces';
import { kubeletVersionProblem } from '../../src/common/version-skew';
import { refusal } from '../support/refusal';

describe('image references (distribution/reference grammar)', () => {
  test.each([
    'nginx', 'nginx:1.27', 'registry.k8s.io/dra-example-driver/dra-example-driver:v0.2.0',
    'localhost:5000/gpu/plugin', 'nvcr.io/nvidia/k8s-dra-driver-gpu:v25.3.0-rc.1',
    `ghcr.io/org/img@sha256:${'a'.repeat(64)}`, `ghcr.io/org/img:v1@sha256:${'0'.repeat(64)}`,
    '[::1]:5000/img:tag', 'my_registry.example.com/a__b/c-d.e',
  ])('accepts %s', reference => {
    expect(isImageReference(reference)).toBe(true);
  });

  test.each([
    'NOT/A_VALID::image@@!!', ':::', 'registry.example.com/gpü:v1', 'Registry.example.com/UPPER/path', 'img:', 'img@sha256:abc',
    ' nginx', 'nginx ', '', 'a//b', 'img:-tag', `img:${'t'.repeat(129)}`, `${'a'.repeat(256)}`,
  ])('refuses %j', reference => {
    expect(isImageReference(reference)).toBe(false);
  });
});

describe('whole numbers and decimal text', () => {
  test.each([0, 1.5, 1e300, NaN, Infinity, -1, 86401])('checkWholeNumber refuses %d outside 1..86400', value => {
    const error = refusal(() => checkWholeNumber(Testing.chart(), 'seconds', value, 1, 86400, 'seconds'));
    expect(error.prop).toBe('seconds');
    expect(error.rule).toBe('must be a positive whole number of seconds, at most 86400');
  });

  test('checkWholeNumber accepts the bounds', () => {
    expect(() => checkWholeNumber(Testing.chart(), 'seconds', 86400, 1, 86400, 'seconds')).not.toThrow();
  });

  test.each(['0x10', '0b1', '0o7', 'Infinity', '', ' ', '1e400', '1,5', 'NaN'])('%j is not a decimal number', text => {
    expect(isDecimalNumber(text)).toBe(false);
  });

  test.each(['16', '0.5', '1e3', '+2', '-3', '.5'])('%j is a decimal number', text => {
    expect(isDecimalNumber(text)).toBe(true);
  });
});

describe('quantities', () => {
  test.each([
    ['64Mi', 64 * 2 ** 20], ['500m', 0.5], ['1.5', 1.5], ['1e3', 1000], ['2k', 2000], ['1Gi', 2 ** 30], [3, 3],
  ])('%s is %d', (quantity, amount) => {
    expect(quantityAmount(quantity)).toBeCloseTo(amount);
  });

  test('a limit below its request is refused, naming the limit and the request', () => {
    const error = refusal(() => checkLimitsNotBelowRequests(Testing.chart(), 'resources', {
      requests: { cpu: k8s.Quantity.fromString('200m'), memory: k8s.Quantity.fromString('64Mi') },
      limits: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('1Gi') },
    }));
    expect(error.prop).toBe("resources.limits['cpu']");
    expect(error.message).toContain("resources.limits['cpu'] '100m' must be at least resources.requests['cpu'] (200m)");
  });

  test('equal limits and requests, and limits without requests, are fine', () => {
    expect(() => checkLimitsNotBelowRequests(Testing.chart(), 'resources', {
      requests: { memory: k8s.Quantity.fromString('1Gi') },
      limits: { memory: k8s.Quantity.fromString('1024Mi'), cpu: k8s.Quantity.fromNumber(1) },
    })).not.toThrow();
  });
});

describe('version skew', () => {
  test('a kubelet more than three minors older than a 1.34 control plane is refused', () => {
    expect(kubeletVersionProblem('1.30')).toMatch(/older than the version-skew policy allows: a 1.34 control plane serves kubelets down to 1.31/);
    expect(kubeletVersionProblem('v1.31.4')).toBeUndefined();
  });

  test('the control plane can be newer', () => {
    expect(kubeletVersionProblem('1.32', { major: 1, minor: 36 })).toMatch(/1.36 control plane serves kubelets down to 1.33/);
  });

  test('a non-version is refused as such', () => {
    expect(kubeletVersionProblem('latest')).toBe('must be a Kubernetes version such as 1.33 or v1.34.2');
  });
});

describe('system namespaces', () => {
  test.each(['kube-system', 'kube-public', 'kube-node-lease', 'default'])('creating %s is refused', namespace => {
    const error = refusal(() => checkCreatedNamespace(Testing.chart(), 'namespace', namespace, 'privileged'));
    expect(error.rule).toContain('set createNamespace: false');
  });
});

describe('plain data', () => {
  const check = (value: unknown) => refusal(() => checkProps(Testing.chart(), { affinity: value }, struct('Test', () => ({ affinity: optional(data) }))));

  test('a function inside is refused with its path', () => {
    expect(check({ nodeAffinity: { weight: () => 1 } }).prop).toBe('affinity.nodeAffinity.weight');
  });

  test('a circular object is refused', () => {
    const circular: any = { a: {} };
    circular.a.b = circular;
    expect(check(circular).prop).toBe('affinity.a.b');
  });

  test('nesting deeper than 64 is refused', () => {
    let deep: any = {};
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(check(deep).rule).toBe('is nested more than 64 levels deep');
  });

  test.each([[NaN], [Infinity], [BigInt(1)], [Symbol('x')]])('%p is refused', value => {
    expect(check({ x: [value] }).prop).toBe('affinity.x[0]');
  });
});
