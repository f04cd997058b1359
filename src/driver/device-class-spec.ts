import { parse } from '@bufbuild/cel';
import { IConstruct } from 'constructs';
import { DraDeviceClassOptions } from './device-class';
import { typeCheckDeviceSelector } from '../cel/device-selector-types';
import { invalidProp } from '../common/errors';
import { formatMinor, isAtLeast, KUBERNETES_CHANGES, KubernetesMinor } from '../common/kubernetes-versions';
import { isDnsSubdomain, isLabelKey } from '../common/names';
import { DeviceClassSpec } from '../imports/k8s';

/** The API server's limit for a CEL selector and for opaque parameters (10 Ki bytes). */
const MAX_CEL_BYTES = 10 * 1024;
const MAX_PARAMETERS_BYTES = 10 * 1024;
/** resource.k8s.io's DriverNameMaxLength (the same as for CSI driver names). */
const MAX_DRIVER_NAME = 63;

/** A DRA driver name: a DNS subdomain of at most 63 characters, as resource.k8s.io accepts it. */
export function checkDriverName(scope: IConstruct, prop: string, driverName: string): void {
  if (!isDnsSubdomain(driverName)) {
    invalidProp(scope, prop, driverName, 'must be a DNS subdomain (RFC 1123): lowercase letters, digits, "-" and ".", at most 253 characters');
  }
  if (driverName.length > MAX_DRIVER_NAME) {
    invalidProp(scope, prop, driverName,
      `is longer than ${MAX_DRIVER_NAME} characters: a DRA driver name is at most ${MAX_DRIVER_NAME} characters (resource.k8s.io DriverNameMaxLength)`);
  }
}

/** What decides whether the API servers keep `extendedResourceName`. */
export interface ExtendedResourceGate {
  /** The target Kubernetes version, as given. */
  readonly kubernetesVersion: string;
  readonly version: { major: number; minor: number };
  /** Whether the admin acknowledged that `DRAExtendedResource` is on. */
  readonly gateEnabled: boolean;
}

/**
 * Checks one DeviceClass and renders its spec. Throws through `invalidProp` on bad input.
 */
export function deviceClassSpec(
  scope: IConstruct, driverName: string, options: DraDeviceClassOptions, index: number, gate: ExtendedResourceGate,
): DeviceClassSpec {
  const prop = `deviceClasses[${index}]`;
  if (!isDnsSubdomain(options.name)) {
    invalidProp(scope, `${prop}.name`, options.name, 'must be a DNS subdomain (RFC 1123)');
  }
  const ownDriver = `device.driver == "${driverName}"`;
  const selectors = [
    ...(options.selectOwnDriver ?? true ? [ownDriver] : []),
    ...(options.selectors ?? []),
  ];
  options.selectors?.forEach((expression, i) => checkCelSelector(scope, `${prop}.selectors[${i}]`, expression, gate.version));
  if (selectors.length === 0) {
    invalidProp(scope, `${prop}.selectors`, options.selectors ?? [], 'must not be empty when selectOwnDriver is false: the class would match every device of every driver');
  }
  const config = (options.config ?? []).map((c, i) => {
    const driver = c.driver ?? driverName;
    checkDriverName(scope, `${prop}.config[${i}].driver`, driver);
    if (!isPlainObject(c.parameters)) {
      invalidProp(scope, `${prop}.config[${i}].parameters`, c.parameters ?? null,
        'must be a JSON object (the API server refuses any other opaque parameters), usually with its own apiVersion and kind');
    }
    const size = Buffer.byteLength(JSON.stringify(c.parameters), 'utf-8');
    if (size > MAX_PARAMETERS_BYTES) {
      invalidProp(scope, `${prop}.config[${i}].parameters`, `${size} bytes`, `must be at most ${MAX_PARAMETERS_BYTES} bytes of JSON`);
    }
    return { opaque: { driver, parameters: c.parameters } };
  });
  if (options.extendedResourceName !== undefined) {
    checkExtendedResourceName(scope, `${prop}.extendedResourceName`, options.extendedResourceName);
    // DRAExtendedResource is alpha (off) before 1.36: those API servers drop the field silently.
    if (!gate.gateEnabled && !isAtLeast(gate.version, KUBERNETES_CHANGES.extendedResource)) {
      invalidProp(scope, `${prop}.extendedResourceName`, options.extendedResourceName,
        `is dropped without a word by ${gate.kubernetesVersion} API servers unless the DRAExtendedResource feature gate is on (alpha before ${formatMinor(KUBERNETES_CHANGES.extendedResource)}), which GitOps sees as drift forever: `
        + `set kubernetesVersion to ${formatMinor(KUBERNETES_CHANGES.extendedResource)} or later, or extendedResourceGateEnabled: true once the gate is on`);
    }
  }
  return {
    selectors: selectors.map(expression => ({ cel: { expression } })),
    config: config.length > 0 ? config : undefined,
    extendedResourceName: options.extendedResourceName,
  };
}

/**
 * Parses a device selector with cel-es. Kubernetes enables CEL optional syntax
 * (`a.?b`, `m[?k]`), which cel-es does not parse; turning it into plain selection
 * keeps the syntax check exact for everything else.
 */
function checkCelSelector(scope: IConstruct, prop: string, expression: string, version: KubernetesMinor): void {
  const bytes = Buffer.byteLength(expression, 'utf-8');
  if (bytes > MAX_CEL_BYTES) {
    invalidProp(scope, prop, `${expression.slice(0, 40)}...`, `is ${bytes} bytes; the API server allows at most ${MAX_CEL_BYTES}`);
  }
  if (expression.trim() === '') {
    invalidProp(scope, prop, expression, 'must be a CEL expression');
  }
  let parsed;
  try {
    parsed = parse(expression.replace(/\.\?/g, '.').replace(/\[\?/g, '['));
  } catch (error) {
    invalidProp(scope, prop, expression, `is not valid CEL: ${(error as Error).message}`);
  }
  const typeError = typeCheckDeviceSelector(parsed.expr!, version);
  if (typeError) {
    invalidProp(scope, prop, expression, typeError);
  }
}

/** `domain/name` as Kubernetes accepts for extended resources: a prefixed label key outside `kubernetes.io`. */
function checkExtendedResourceName(scope: IConstruct, prop: string, value: string): void {
  const slash = value.indexOf('/');
  const valid = slash > 0 && isLabelKey(value) && !value.slice(0, slash).endsWith('kubernetes.io');
  if (!valid) {
    invalidProp(scope, prop, value, 'must be <domain>/<name> (a DNS subdomain outside kubernetes.io, then a name of at most 63 characters)');
  }
}

/** An object literal (or `Object.create(null)`), not an array, class instance, string or number. */
function isPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
