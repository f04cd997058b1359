import { IConstruct } from 'constructs';
import { invalidInput, invalidProp } from './errors';
import { nearestName } from './nearest-name';

/**
 * The JavaScript types of props, checked before any other rule: a JavaScript caller (or a
 * TypeScript one casting) that leaves a required prop out, passes the wrong type or
 * misspells a prop gets a `DraValidationError` naming the prop, never a TypeError from deep
 * inside a construct, the YAML library's "Tag not resolved" at synthesis, or a silently
 * ignored setting.
 *
 * Every schema also says which jsii type it checks (`PropShape`): test/prop-schemas.test.ts
 * compares each struct schema with the struct of the same name in the jsii assembly, property
 * by property, so a schema cannot drift from its TypeScript interface.
 */

/** What input is refused for: a construct, or a name (`ClusterScale`) for input that belongs to none. */
export type PropSubject = IConstruct | string;

/** The jsii type a check stands for. */
export type PropShape =
  | { readonly kind: 'string' | 'number' | 'boolean' | 'any' }
  | { readonly kind: 'list' | 'map'; readonly of: PropShape }
  | { readonly kind: 'struct'; readonly struct: StructType }
  /** A class, enum or interface, or a Kubernetes struct this library takes as plain data, by jsii FQN. */
  | { readonly kind: 'type'; readonly fqn: string };

/** Checks one given (not undefined) value; `prop` names it in the error. */
export type PropCheckFn = (subject: PropSubject, prop: string, value: unknown) => void;

/** A check and the jsii type it stands for. */
export interface PropCheck {
  readonly shape: PropShape;
  readonly check: PropCheckFn;
}

/** A prop's check, and whether it must be given. */
export interface PropSpec {
  readonly type: PropCheck;
  readonly required: boolean;
}

/** The props of one struct by name. */
export type PropSchema = { readonly [prop: string]: PropSpec };

/** A jsii struct (a props or options interface): its name and its props' schema. */
export interface StructType extends PropCheck {
  /** The interface's name, as in the jsii assembly (`DraDriverProps`). */
  readonly name: string;
  /** The schema; a function, so schemas that name classes can be declared before those load. */
  readonly fields: () => PropSchema;
}

const OWN_PACKAGE = 'cdk8s-dra';

/** Refuses the value: a construct's prop, or a field of input that belongs to no construct. */
export function refuse(subject: PropSubject, prop: string, value: unknown, rule: string): never {
  return typeof subject === 'string' ? invalidInput(subject, prop, value, rule) : invalidProp(subject, prop, value, rule);
}

/** `a string`, `an array`, `null`: what a wrong value is, for the message. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'undefined' ? 'undefined' : type === 'object' ? 'an object' : `a ${type}`;
}

function expect(shape: PropShape, type: string, test: (value: unknown) => boolean): PropCheck {
  return {
    shape,
    check: (subject, prop, value) => {
      if (!test(value)) {
        refuse(subject, prop, value, `must be ${type}, not ${typeName(value)}`);
      }
    },
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The deepest nesting accepted in free-form Kubernetes fields (affinity, resources...). */
const MAX_DEPTH = 64;

export const string: PropCheck = expect({ kind: 'string' }, 'a string', v => typeof v === 'string');
export const boolean: PropCheck = expect({ kind: 'boolean' }, 'a boolean', v => typeof v === 'boolean');
/** A number; finiteness and range are each prop's own rule. */
export const number: PropCheck = expect({ kind: 'number' }, 'a number', v => typeof v === 'number');

/** One of the values of a string enum, `fqn` its jsii name (`cdk8s-plus-28.ImagePullPolicy`). */
export function enumOf(fqn: string, values: { [member: string]: string }): PropCheck {
  const allowed = Object.values(values);
  return {
    shape: { kind: 'type', fqn },
    check: (subject, prop, value) => {
      if (typeof value !== 'string' || !allowed.includes(value)) {
        refuse(subject, prop, value, `must be one of ${allowed.join(', ')}`);
      }
    },
  };
}

/** One of this library's enums, by its TypeScript name. */
export function ownEnum(name: string, values: { [member: string]: string }): PropCheck {
  return enumOf(`${OWN_PACKAGE}.${name}`, values);
}

/** A list whose every item passes `item`, named `prop[i]`. */
export function listOf(item: PropCheck): PropCheck {
  return {
    shape: { kind: 'list', of: item.shape },
    check: (subject, prop, value) => {
      if (!Array.isArray(value)) {
        refuse(subject, prop, value, `must be an array, not ${typeName(value)}`);
      }
      value.forEach((entry, index) => item.check(subject, `${prop}[${index}]`, entry));
    },
  };
}

/** `{ [key: string]: string }`, e.g. labels. */
export const stringMap: PropCheck = {
  shape: { kind: 'map', of: { kind: 'string' } },
  check: (subject, prop, value) => {
    if (!isRecord(value)) {
      refuse(subject, prop, value, `must be an object of strings, not ${typeName(value)}`);
    }
    for (const [key, entry] of Object.entries(value)) {
      if (typeof entry !== 'string') {
        refuse(subject, `${prop}['${key}']`, entry, `must be a string, not ${typeName(entry)}`);
      }
    }
  },
};

/**
 * A struct of this library (`DriverContainerOptions`): an object with the props of `fields`,
 * each of its type, and no other: a name that is not one of them is refused with the nearest
 * one it may have meant.
 */
export function struct(name: string, fields: () => PropSchema): StructType {
  let schema: PropSchema | undefined;
  const type: StructType = {
    name,
    fields: () => (schema ??= fields()),
    shape: { kind: 'struct', get struct() { return type; } },
    check: (subject, prop, value) => {
      if (!isRecord(value)) {
        refuse(subject, prop, value, `must be an object, not ${typeName(value)}`);
      }
      checkFields(subject, prop, value, type);
    },
  };
  return type;
}

/**
 * A struct that the construct it is handed to checks itself (DraCluster's `rbac` goes to
 * DraRbac, which names itself in the error); here only that it is an object.
 */
export function checkedByItsConstruct(type: StructType): PropCheck {
  return { shape: type.shape, check: object };
}

/** An instance made by a factory or constructor (`DriverUpgrade.seamless()`); `pkg` is the jsii package of the class. */
export function instanceOf(type: Function, howToMake: string, pkg: string = OWN_PACKAGE): PropCheck {
  return {
    shape: { kind: 'type', fqn: `${pkg}.${type.name}` },
    check: (subject, prop, value) => {
      if (!(typeof value === 'object' && value !== null && value instanceof type)) {
        refuse(subject, prop, value, `must be made by ${howToMake}, not ${typeName(value)}`);
      }
    },
  };
}

/** An object with the given methods, e.g. a cdk8s-plus `ISubject` (`toSubjectConfiguration`). */
export function implementing(fqn: string, typeLabel: string, ...methods: string[]): PropCheck {
  return {
    shape: { kind: 'type', fqn },
    check: (subject, prop, value) => {
      if (!isRecord(value) || methods.some(m => typeof value[m] !== 'function')) {
        refuse(subject, prop, value, `must be ${typeLabel}, not ${typeName(value)}`);
      }
    },
  };
}

/**
 * Free-form data copied into an object (affinity, tolerations, resources): plain values
 * only, so it can be written as YAML. Refuses functions, symbols, BigInt, numbers that are not
 * finite, cycles and nesting deeper than 64, each named by its path (`affinity.nodeAffinity`).
 */
const checkData: PropCheckFn = (subject, prop, value) => {
  const ancestors: unknown[] = [];
  const visit = (path: string, entry: unknown): void => {
    const type = typeof entry;
    if (type === 'function' || type === 'symbol' || type === 'bigint') {
      refuse(subject, path, entry, `must be plain data that can be written as YAML, not ${typeName(entry)}`);
    }
    if (type === 'number' && !Number.isFinite(entry)) {
      refuse(subject, path, entry, 'must be a finite number');
    }
    if (type !== 'object' || entry === null) {
      return;
    }
    if (ancestors.includes(entry)) {
      refuse(subject, path, entry, 'must not contain itself (a circular object cannot be written as YAML)');
    }
    if (ancestors.length >= MAX_DEPTH) {
      refuse(subject, path, entry, `is nested more than ${MAX_DEPTH} levels deep`);
    }
    ancestors.push(entry);
    if (Array.isArray(entry)) {
      entry.forEach((item, index) => visit(`${path}[${index}]`, item));
    } else {
      for (const [key, item] of Object.entries(entry as object)) {
        visit(`${path}.${key}`, item);
      }
    }
    ancestors.pop();
  };
  visit(prop, value);
};

/** Any plain data (jsii `any`), e.g. a DeviceClass config's opaque parameters. */
export const data: PropCheck = { shape: { kind: 'any' }, check: checkData };

/** An object (not a list, a scalar or null), its fields left to the construct's own rules. */
const object: PropCheckFn = (subject, prop, value) => {
  if (!isRecord(value)) {
    refuse(subject, prop, value, `must be an object, not ${typeName(value)}`);
  }
};

/** `{ [key: string]: any }` of plain data, e.g. the fields of an object a driver ships. */
export const dataMap: PropCheck = {
  shape: { kind: 'map', of: { kind: 'any' } },
  check: (subject, prop, value) => {
    object(subject, prop, value);
    checkData(subject, prop, value);
  },
};

/**
 * A Kubernetes struct of cdk8s-plus-28's `k8s` module (`Affinity`, `EnvVar`): an object, taken
 * as plain data (`data`) and copied into the object unless `check` says what else it holds
 * (`ResourceRequirements` holds `k8s.Quantity` objects).
 */
export function k8sObject(name: string, check: PropCheckFn = checkData): PropCheck {
  return {
    shape: { kind: 'type', fqn: `cdk8s-plus-28.k8s.${name}` },
    check: (subject, prop, value) => {
      object(subject, prop, value);
      check(subject, prop, value);
    },
  };
}

/** A prop that must be given. */
export function required(type: PropCheck): PropSpec {
  return { type, required: true };
}

/** A prop that may be left out. */
export function optional(type: PropCheck): PropSpec {
  return { type, required: false };
}

/**
 * Checks a construct's props (or a factory's options) against their struct: the object itself
 * (a JavaScript caller may pass none), no unknown prop, each required prop present, each
 * given prop of its type.
 */
export function checkProps(subject: PropSubject, props: unknown, type: StructType): void {
  if (!isRecord(props)) {
    refuse(subject, typeof subject === 'string' ? type.name : 'props', props, `must be an object, not ${typeName(props)}`);
  }
  checkFields(subject, '', props, type);
}

const fieldPath = (prefix: string, name: string) => (prefix === '' ? name : `${prefix}.${name}`);

function checkFields(subject: PropSubject, prefix: string, value: Record<string, unknown>, type: StructType): void {
  const schema = type.fields();
  for (const key of Object.keys(value)) {
    if (!Object.prototype.hasOwnProperty.call(schema, key)) {
      refuse(subject, fieldPath(prefix, key), value[key], unknownPropRule(type.name, key, Object.keys(schema)));
    }
  }
  checkFieldTypes(subject, prefix, value, schema);
}

/** Each required field present, each given field of its type; other fields are not looked at. */
function checkFieldTypes(subject: PropSubject, prefix: string, value: Record<string, unknown>, schema: PropSchema): void {
  for (const [name, spec] of Object.entries(schema)) {
    const entry = value[name];
    if (entry === undefined) {
      if (spec.required) {
        refuse(subject, fieldPath(prefix, name), undefined, 'is required');
      }
      continue;
    }
    spec.type.check(subject, fieldPath(prefix, name), entry);
  }
}

function unknownPropRule(structName: string, key: string, known: string[]): string {
  const nearest = nearestName(key, known);
  return `is not a prop of ${structName}${nearest === undefined ? '' : ` (did you mean ${nearest}?)`}`;
}

/** The names RBAC and monitoring read of a driver. */
const DRA_DRIVER_REFERENCE_FIELDS: PropSchema = {
  driverName: required(string),
  namespace: required(string),
  daemonSetName: required(string),
  serviceAccountName: required(string),
  podSelectorLabels: required(stringMap),
  metricsPort: optional(number),
  metricsPortName: optional(string),
  metricsJob: optional(string),
};

/**
 * An `IDraDriver` (src/common/driver.ts): a DraDriver, or any object with its names. An
 * interface that classes implement, so its other fields are not refused.
 */
export const draDriverReference: PropCheck = {
  shape: { kind: 'type', fqn: `${OWN_PACKAGE}.IDraDriver` },
  check: (subject, prop, value) => {
    if (!isRecord(value)) {
      refuse(subject, prop, value, `must be a DraDriver (or an IDraDriver), not ${typeName(value)}`);
    }
    checkFieldTypes(subject, prop, value, DRA_DRIVER_REFERENCE_FIELDS);
  },
};
