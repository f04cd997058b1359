import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

/**
 * The JavaScript types of props, checked before any other rule: a JavaScript caller (or a
 * TypeScript one casting) that leaves a required prop out or passes the wrong type gets a
 * `DraValidationError` naming the prop, never a TypeError from deep inside a construct or the
 * YAML library's "Tag not resolved" at synthesis.
 */

/** Checks one given (not undefined) value; `prop` names it in the error. */
export type PropCheck = (scope: IConstruct, prop: string, value: unknown) => void;

/** A prop's check, and whether it must be given. */
export interface PropSpec {
  readonly check: PropCheck;
  readonly required?: boolean;
}

/** The props of one construct (or one nested object) by name. */
export type PropSchema = { readonly [prop: string]: PropSpec };

/** `a string`, `an array`, `null`: what a wrong value is, for the message. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'undefined' ? 'undefined' : type === 'object' ? 'an object' : `a ${type}`;
}

function expect(type: string, test: (value: unknown) => boolean): PropCheck {
  return (scope, prop, value) => {
    if (!test(value)) {
      invalidProp(scope, prop, value, `must be ${type}, not ${typeName(value)}`);
    }
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The deepest nesting accepted in free-form Kubernetes fields (affinity, resources...). */
const MAX_DEPTH = 64;

export const string: PropCheck = expect('a string', v => typeof v === 'string');
export const boolean: PropCheck = expect('a boolean', v => typeof v === 'boolean');
/** A number; finiteness and range are each prop's own rule. */
export const number: PropCheck = expect('a number', v => typeof v === 'number');

/** One of the values of a string enum. */
export function oneOf(values: readonly string[]): PropCheck {
  return (scope, prop, value) => {
    if (typeof value !== 'string' || !values.includes(value)) {
      invalidProp(scope, prop, value, `must be one of ${values.join(', ')}`);
    }
  };
}

/** A list whose every item passes `item`, named `prop[i]`. */
export function listOf(item: PropCheck): PropCheck {
  return (scope, prop, value) => {
    if (!Array.isArray(value)) {
      invalidProp(scope, prop, value, `must be an array, not ${typeName(value)}`);
    }
    value.forEach((entry, index) => item(scope, `${prop}[${index}]`, entry));
  };
}

/** `{ [key: string]: string }`, e.g. labels. */
export const stringMap: PropCheck = (scope, prop, value) => {
  if (!isRecord(value)) {
    invalidProp(scope, prop, value, `must be an object of strings, not ${typeName(value)}`);
  }
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') {
      invalidProp(scope, `${prop}['${key}']`, entry, `must be a string, not ${typeName(entry)}`);
    }
  }
};

/** An object whose fields follow `schema`; unknown fields are left to the caller's types. */
export function record(schema: PropSchema): PropCheck {
  return (scope, prop, value) => {
    if (!isRecord(value)) {
      invalidProp(scope, prop, value, `must be an object, not ${typeName(value)}`);
    }
    checkFields(scope, prop, value, schema);
  };
}

/** An instance made by a factory or constructor of this library (`DriverUpgrade.seamless()`). */
export function instanceOf(type: Function, howToMake: string): PropCheck {
  return (scope, prop, value) => {
    if (!(typeof value === 'object' && value !== null && value instanceof type)) {
      invalidProp(scope, prop, value, `must be made by ${howToMake}, not ${typeName(value)}`);
    }
  };
}

/** An object with the given methods, e.g. a cdk8s-plus `ISubject` (`toSubjectConfiguration`). */
export function implementing(typeLabel: string, ...methods: string[]): PropCheck {
  return (scope, prop, value) => {
    if (!isRecord(value) || methods.some(m => typeof value[m] !== 'function')) {
      invalidProp(scope, prop, value, `must be ${typeLabel}, not ${typeName(value)}`);
    }
  };
}

/** An object with the given string fields (and no check of the rest), e.g. an `IDraDriver`. */
export function shaped(typeLabel: string, fields: PropSchema): PropCheck {
  return (scope, prop, value) => {
    if (!isRecord(value)) {
      invalidProp(scope, prop, value, `must be ${typeLabel}, not ${typeName(value)}`);
    }
    checkFields(scope, prop, value, fields);
  };
}

/**
 * Free-form data copied into an object (affinity, tolerations, resources): plain values
 * only, so it can be written as YAML. Refuses functions, symbols, BigInt, numbers that are not
 * finite, cycles and nesting deeper than 64, each named by its path (`affinity.nodeAffinity`).
 */
export const data: PropCheck = (scope, prop, value) => {
  const ancestors: unknown[] = [];
  const visit = (path: string, entry: unknown): void => {
    const type = typeof entry;
    if (type === 'function' || type === 'symbol' || type === 'bigint') {
      invalidProp(scope, path, entry, `must be plain data that can be written as YAML, not ${typeName(entry)}`);
    }
    if (type === 'number' && !Number.isFinite(entry)) {
      invalidProp(scope, path, entry, 'must be a finite number');
    }
    if (type !== 'object' || entry === null) {
      return;
    }
    if (ancestors.includes(entry)) {
      invalidProp(scope, path, entry, 'must not contain itself (a circular object cannot be written as YAML)');
    }
    if (ancestors.length >= MAX_DEPTH) {
      invalidProp(scope, path, entry, `is nested more than ${MAX_DEPTH} levels deep`);
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

/** An object of plain data (`data`), not a list or a scalar. */
export const dataObject: PropCheck = (scope, prop, value) => {
  if (!isRecord(value)) {
    invalidProp(scope, prop, value, `must be an object, not ${typeName(value)}`);
  }
  data(scope, prop, value);
};

/** An object (not a list, a scalar or null), its fields left to the construct's own rules. */
export const object: PropCheck = (scope, prop, value) => {
  if (!isRecord(value)) {
    invalidProp(scope, prop, value, `must be an object, not ${typeName(value)}`);
  }
};

/** A list of plain-data objects, e.g. tolerations or env. */
export const dataList: PropCheck = listOf(dataObject);

/** A prop that must be given. */
export function required(check: PropCheck): PropSpec {
  return { check, required: true };
}

/** A prop that may be left out. */
export function optional(check: PropCheck): PropSpec {
  return { check };
}

/**
 * Checks a construct's props against its schema: the props object itself (a JavaScript
 * caller may pass none), each required prop present, each given prop of its type.
 */
export function checkProps(scope: IConstruct, props: unknown, schema: PropSchema): void {
  if (!isRecord(props)) {
    invalidProp(scope, 'props', props, `must be an object, not ${typeName(props)}`);
  }
  checkFields(scope, '', props, schema);
}

function checkFields(scope: IConstruct, prefix: string, value: Record<string, unknown>, schema: PropSchema): void {
  for (const [name, spec] of Object.entries(schema)) {
    const prop = prefix === '' ? name : `${prefix}.${name}`;
    const entry = value[name];
    if (entry === undefined) {
      if (spec.required) {
        invalidProp(scope, prop, undefined, 'is required');
      }
      continue;
    }
    spec.check(scope, prop, entry);
  }
}

/** An `IDraDriver` (src/common/driver.ts): the names RBAC and monitoring read of a driver. */
export const draDriverReference: PropCheck = shaped('a DraDriver (or an IDraDriver)', {
  driverName: required(string),
  namespace: required(string),
  daemonSetName: required(string),
  serviceAccountName: required(string),
  podSelectorLabels: required(stringMap),
  metricsPort: optional(number),
  metricsPortName: optional(string),
  metricsJob: optional(string),
});
