import { run } from '@bufbuild/cel';
import { attempt, synthDriver } from './support';
import { DraDeviceClassOptions } from '../../src';
import { ILL_TYPED_SELECTORS, VERSIONED_SELECTORS, WELL_TYPED_SELECTORS } from '../support/device-selectors';
import { findObject, findObjects } from '../support/harness';

/** On 1.36, where API servers keep extendedResourceName by default. */
function synthClasses(deviceClasses?: DraDeviceClassOptions[]): any[] {
  return findObjects(synthDriver({ deviceClasses, kubernetesVersion: '1.36' }).objects, 'DeviceClass');
}

function rejection(deviceClasses: DraDeviceClassOptions[]): { message: string; objects: any[] } {
  const result = attempt({ deviceClasses });
  expect(result.message).not.toBe('');
  return result;
}

/** True when a device satisfies every selector of the class, evaluated as the scheduler would. */
function selects(deviceClass: any, device: any): boolean {
  return deviceClass.spec.selectors.every((s: any) => run(s.cel.expression, { device }) === true);
}

const GPU = { driver: 'gpu.example.com', attributes: { 'gpu.example.com': { type: 'gpu' } }, capacity: {} };
const OTHER = { driver: 'nic.example.com', attributes: { 'nic.example.com': { type: 'gpu' } }, capacity: {} };

test('default: one class named after the driver that selects its devices only', () => {
  const [deviceClass, ...rest] = synthClasses();
  expect(rest).toEqual([]);
  expect(deviceClass.apiVersion).toBe('resource.k8s.io/v1');
  expect(deviceClass.metadata.name).toBe('gpu.example.com');
  expect(deviceClass.spec).toEqual({ selectors: [{ cel: { expression: 'device.driver == "gpu.example.com"' } }] });
  expect(selects(deviceClass, GPU)).toBe(true);
  expect(selects(deviceClass, OTHER)).toBe(false);
});

test('own-driver selector is prepended to user selectors', () => {
  const deviceClass = findObject(synthClasses([{ name: 'gpu', selectors: ['device.attributes["gpu.example.com"].type == "gpu"'] }]), 'DeviceClass');
  expect(deviceClass.spec.selectors.map((s: any) => s.cel.expression)).toEqual([
    'device.driver == "gpu.example.com"',
    'device.attributes["gpu.example.com"].type == "gpu"',
  ]);
  expect(selects(deviceClass, GPU)).toBe(true);
  expect(selects(deviceClass, OTHER)).toBe(false);
});

test('selectOwnDriver false keeps only the user selectors', () => {
  const deviceClass = findObject(synthClasses([{ name: 'any-gpu', selectOwnDriver: false, selectors: ['device.attributes["gpu.example.com"].type == "gpu"'] }]), 'DeviceClass');
  expect(deviceClass.spec.selectors).toHaveLength(1);
});

test('Kubernetes CEL optional syntax and cel.bind are accepted', () => {
  const selectors = [
    'device.attributes["gpu.example.com"].?model.orValue("") == "h100"',
    'device.attributes[?"gpu.example.com"].hasValue()',
    'cel.bind(g, device.attributes["gpu.example.com"], g.type == "gpu")',
  ];
  expect(synthClasses([{ name: 'gpu', selectors }])[0].spec.selectors).toHaveLength(4);
});

test('opaque config defaults to this driver; extendedResourceName passes through', () => {
  const [deviceClass] = synthClasses([{
    name: 'gpu-shared',
    config: [{ parameters: { apiVersion: 'gpu.example.com/v1', kind: 'GpuConfig', sharing: { strategy: 'TimeSlicing' } } }],
    extendedResourceName: 'example.com/gpu',
  }]);
  expect(deviceClass.spec.config).toEqual([{
    opaque: { driver: 'gpu.example.com', parameters: { apiVersion: 'gpu.example.com/v1', kind: 'GpuConfig', sharing: { strategy: 'TimeSlicing' } } },
  }]);
  expect(deviceClass.spec.extendedResourceName).toBe('example.com/gpu');
});

describe('extendedResourceName is gated on the target version (issue 19)', () => {
  const deviceClasses = [{ name: 'gpu', extendedResourceName: 'example.com/gpu' }];

  test.each([[undefined], ['1.34'], ['v1.35.2']])('refused for kubernetesVersion %p: 1.34 and 1.35 drop it unless DRAExtendedResource is on', kubernetesVersion => {
    const { message, objects } = attempt({ deviceClasses, kubernetesVersion });
    expect(message).toBe(`DraDriver 'gpu' (test/gpu): deviceClasses[0].extendedResourceName 'example.com/gpu' is dropped without a word by ${kubernetesVersion ?? '1.34'} API servers `
      + 'unless the DRAExtendedResource feature gate is on (alpha before 1.36), which GitOps sees as drift forever: '
      + 'set kubernetesVersion to 1.36 or later, or extendedResourceGateEnabled: true once the gate is on');
    expect(objects).toEqual([]);
  });

  test('kept on 1.36 and later, or on 1.34 with the gate acknowledged', () => {
    for (const props of [{ kubernetesVersion: '1.36' }, { kubernetesVersion: 'v1.37.0' }, { extendedResourceGateEnabled: true }]) {
      const deviceClass = findObject(synthDriver({ deviceClasses, ...props }).objects, 'DeviceClass');
      expect(deviceClass.spec.extendedResourceName).toBe('example.com/gpu');
    }
  });

  test('kubernetesVersion must be a version of 1.34 or later', () => {
    expect(attempt({ kubernetesVersion: 'latest' }).message).toContain("kubernetesVersion 'latest' must be a Kubernetes version");
    expect(attempt({ kubernetesVersion: '1.33' }).message).toContain("kubernetesVersion '1.33' must be 1.34 or later");
  });
});

test('an empty list publishes no DeviceClass', () => {
  expect(synthClasses([])).toEqual([]);
});

describe('bad DeviceClasses stop synthesis', () => {
  test('a selector that does not parse, with the parser\'s position', () => {
    const { message, objects } = rejection([{ name: 'gpu', selectors: ['device.driver == '] }]);
    expect(message).toMatch(/^DraDriver 'gpu' \(test\/gpu\): deviceClasses\[0\]\.selectors\[0\] 'device\.driver == ' is not valid CEL: .*1:\d+/);
    expect(objects).toEqual([]);
  });

  test('a selector that selects a field the device has not, so the API server would refuse it', () => {
    const { message, objects } = rejection([{ name: 'gpu', selectors: ['device.drver == "gpu.example.com"'] }]);
    expect(message).toBe("DraDriver 'gpu' (test/gpu): deviceClasses[0].selectors[0] 'device.drver == \"gpu.example.com\"' selects device.drver, "
      + "which the API server's CEL environment does not have (device has driver, attributes, capacity in 1.34)");
    expect(objects).toEqual([]);
    expect(rejection([{ name: 'gpu', selectors: ['has(device.vendor)'] }]).message).toContain('selects device.vendor');
  });

  test.each(ILL_TYPED_SELECTORS)('a selector that parses but does not type-check in the server\'s environment: %s', (expression, rule) => {
    const { message, objects } = rejection([{ name: 'gpu', selectors: [expression] }]);
    expect(message).toBe(`DraDriver 'gpu' (test/gpu): deviceClasses[0].selectors[0] '${expression}' ${rule}`);
    expect(objects).toEqual([]);
  });

  test.each(WELL_TYPED_SELECTORS)('a well-typed selector is accepted: %s', expression => {
    expect(synthClasses([{ name: 'gpu', selectors: [expression] }])).toHaveLength(1);
  });

  test.each(VERSIONED_SELECTORS)('$expression: refused before $since, accepted from it', ({ expression, since, ruleBefore }) => {
    const [major, minor] = since.split('.').map(Number);
    const before = attempt({ deviceClasses: [{ name: 'gpu', selectors: [expression] }], kubernetesVersion: `${major}.${minor - 1}` });
    expect(before.message).toContain(`deviceClasses[0].selectors[0] '${expression}' ${ruleBefore}`);
    expect(before.message).toContain(`(device has driver, attributes, capacity in ${major}.${minor - 1})`);
    expect(findObjects(synthDriver({ deviceClasses: [{ name: 'gpu', selectors: [expression] }], kubernetesVersion: since }).objects, 'DeviceClass'))
      .toHaveLength(1);
  });

  test('a selector over 10 KiB', () => {
    const long = `device.driver == "${'a'.repeat(10 * 1024)}"`;
    expect(rejection([{ name: 'gpu', selectors: [long] }]).message).toMatch(/deviceClasses\[0\]\.selectors\[0\] .* is 10259 bytes; the API server allows at most 10240/);
  });

  test('duplicate names', () => {
    expect(rejection([{ name: 'gpu' }, { name: 'gpu' }]).message)
      .toContain("deviceClasses[1].name 'gpu' is used by an earlier DeviceClass: names must be unique");
  });

  test('invalid name, empty selectors, bad config, bad extended resource name', () => {
    expect(rejection([{ name: 'GPU' }]).message).toContain("deviceClasses[0].name 'GPU' must be a DNS subdomain");
    expect(rejection([{ name: 'gpu', selectOwnDriver: false }]).message).toContain('deviceClasses[0].selectors [] must not be empty');
    expect(rejection([{ name: 'gpu', config: [{ parameters: { blob: 'x'.repeat(11000) } }] }]).message)
      .toMatch(/deviceClasses\[0\]\.config\[0\]\.parameters '\d+ bytes' must be at most 10240 bytes/);
    expect(rejection([{ name: 'gpu', extendedResourceName: 'gpu' }]).message).toContain("deviceClasses[0].extendedResourceName 'gpu' must be <domain>/<name>");
    expect(rejection([{ name: 'gpu', extendedResourceName: 'kubernetes.io/gpu' }]).message).toContain('extendedResourceName');
    expect(rejection([{ name: 'gpu', config: [{ driver: 'Other_Driver', parameters: {} }] }]).message)
      .toContain("deviceClasses[0].config[0].driver 'Other_Driver' must be a DNS subdomain");
    expect(rejection([{ name: 'gpu', selectors: ['  '] }]).message).toContain("deviceClasses[0].selectors[0] '  ' must be a CEL expression");
  });

  test.each([
    ['gpu'], ['/gpu'], ['example.com/'], ['Example.com/gpu'], ['example.com/a/b'], ['example.com/-gpu'],
    [`example.com/${'g'.repeat(64)}`], ['kubernetes.io/gpu'], ['node.kubernetes.io/gpu'],
  ])('extendedResourceName %j is not <domain>/<name> outside kubernetes.io', extendedResourceName => {
    expect(rejection([{ name: 'gpu', extendedResourceName }]).message)
      .toContain(`deviceClasses[0].extendedResourceName '${extendedResourceName}' must be <domain>/<name>`);
  });

  test('extendedResourceName at the limits is accepted', () => {
    const extendedResourceName = `gpu.example.com/${'G'.repeat(61)}_9`;
    expect(synthClasses([{ name: 'gpu', extendedResourceName }])[0].spec.extendedResourceName).toBe(extendedResourceName);
  });

  test('a config driver longer than 63 characters (resource.k8s.io DriverNameMaxLength)', () => {
    const longest = `${'a'.repeat(51)}.example.com`;
    expect(synthClasses([{ name: 'gpu', config: [{ driver: longest, parameters: {} }] }])[0].spec.config[0].opaque.driver).toBe(longest);
    const driver = `${'a'.repeat(52)}.example.com`;
    expect(rejection([{ name: 'gpu', config: [{ driver, parameters: {} }] }]).message)
      .toContain(`deviceClasses[0].config[0].driver '${driver}' is longer than 63 characters: a DRA driver name is at most 63 characters`);
  });

  test.each([
    ['x', "'x'"],
    [[1, 2], '[1,2]'],
    [5, '5'],
    [null, 'null'],
  ])('opaque parameters %j are not a JSON object', (parameters, shown) => {
    expect(rejection([{ name: 'gpu', config: [{ parameters }] }]).message)
      .toContain(`deviceClasses[0].config[0].parameters ${shown} must be a JSON object (the API server refuses any other opaque parameters)`);
  });

  test('opaque parameters left out are required', () => {
    expect(rejection([{ name: 'gpu', config: [{ parameters: undefined }] }]).message).toContain('deviceClasses[0].config[0].parameters is required');
  });
});
