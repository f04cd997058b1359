import type { parse } from '@bufbuild/cel';
import { formatMinor, isAtLeast, KUBERNETES_CHANGES, KubernetesMinor } from '../common/kubernetes-versions';

/**
 * A static type checker for device selectors, in the CEL environment the API server compiles
 * them in (k8s.io/dynamic-resource-allocation/cel) on Kubernetes `version` with its default gates:
 *
 *   device.driver                     string
 *   device.attributes                 map(string, map(string, any))   values are dynamic
 *   device.capacity                   map(string, map(string, kubernetes.Quantity))
 *   device.allowMultipleAllocations   bool, from 1.36 (DRAConsumableCapacity beta and on; alpha before)
 *
 * It reports only what is certainly an error on the server: an operator applied to two known
 * types it has no overload for (`device.driver == 1`, a Quantity compared with a string), a
 * field selected on a type without it, or a result that is not a bool (`1 + 1`). Anything it
 * cannot know (dynamic attribute values, functions it does not model) passes, so it never
 * refuses what the server accepts.
 */
export function typeCheckDeviceSelector(expr: ParsedExpr, version: KubernetesMinor): string | undefined {
  try {
    const result = typeOf(expr, new Map([['device', deviceType(version)]]));
    if (!assignable(result, BOOL)) {
      return `evaluates to ${result.name}, but a device selector must evaluate to bool`;
    }
    return undefined;
  } catch (error) {
    if (error instanceof SelectorTypeError) {
      return error.message;
    }
    throw error;
  }
}


type ParsedExpr = ReturnType<typeof parse>['expr'] & {};
type Expr = any;

interface CelType {
  readonly name: string;
  readonly elem?: CelType;
  readonly key?: CelType;
}

const DYN: CelType = { name: 'dyn' };
const BOOL: CelType = { name: 'bool' };
const INT: CelType = { name: 'int' };
const UINT: CelType = { name: 'uint' };
const DOUBLE: CelType = { name: 'double' };
const STRING: CelType = { name: 'string' };
const BYTES: CelType = { name: 'bytes' };
const NULL: CelType = { name: 'null_type' };
const QUANTITY: CelType = { name: 'kubernetes.Quantity' };
const SEMVER: CelType = { name: 'kubernetes.Semver' };
/** The device variable: its fields depend on the version (see deviceType). */
interface DeviceCelType extends CelType {
  readonly fields: Readonly<Record<string, CelType>>;
  readonly version: KubernetesMinor;
}
const listOf = (elem: CelType): CelType => ({ name: `list(${elem.name})`, elem });
const mapOf = (key: CelType, elem: CelType): CelType => ({ name: `map(${key.name}, ${elem.name})`, key, elem });

/** The device of Kubernetes `version`'s selector environment, with its default feature gates. */
function deviceType(version: KubernetesMinor): DeviceCelType {
  const fields: Record<string, CelType> = {
    driver: STRING,
    attributes: mapOf(STRING, mapOf(STRING, DYN)),
    capacity: mapOf(STRING, mapOf(STRING, QUANTITY)),
  };
  if (isAtLeast(version, KUBERNETES_CHANGES.consumableCapacity)) {
    fields.allowMultipleAllocations = BOOL;
  }
  return { name: 'kubernetes.DRADevice', fields, version };
}

function isDevice(type: CelType): type is DeviceCelType {
  return (type as DeviceCelType).fields !== undefined;
}

const NUMERIC = new Set([INT.name, UINT.name, DOUBLE.name]);
/** Types with `<`, `<=`, `>`, `>=` (numbers compare across kinds in Kubernetes' environment). */
const ORDERED = new Set([...NUMERIC, STRING.name, BYTES.name, BOOL.name, 'google.protobuf.Timestamp', 'google.protobuf.Duration']);
const COMPARISONS = new Set(['_<_', '_<=_', '_>_', '_>=_']);
const ARITHMETIC = new Set(['_-_', '_*_', '_/_', '_%_']);

/** The ordering methods both Kubernetes libraries give their type: the argument must be of that type. */
const orderingMethods = (type: CelType) => ({
  isGreaterThan: { arg: type, result: BOOL },
  isLessThan: { arg: type, result: BOOL },
  compareTo: { arg: type, result: INT },
});

/** Methods of the Quantity and Semver libraries: argument kind and result. */
const LIBRARY_METHODS: Record<string, Record<string, { arg?: CelType; result: CelType }>> = {
  [QUANTITY.name]: {
    ...orderingMethods(QUANTITY),
    add: { result: QUANTITY },
    sub: { result: QUANTITY },
    asInteger: { result: INT },
    asApproximateFloat: { result: DOUBLE },
    sign: { result: INT },
    isInteger: { result: BOOL },
  },
  [SEMVER.name]: {
    ...orderingMethods(SEMVER),
    major: { result: INT },
    minor: { result: INT },
    patch: { result: INT },
  },
};

/** Global functions whose result type is fixed, whatever their arguments. */
const FUNCTION_RESULTS: Record<string, CelType> = {
  quantity: QUANTITY,
  isQuantity: BOOL,
  semver: SEMVER,
  isSemver: BOOL,
  size: INT,
  int: INT,
  uint: UINT,
  double: DOUBLE,
  string: STRING,
  bool: BOOL,
  bytes: BYTES,
  startsWith: BOOL,
  endsWith: BOOL,
  contains: BOOL,
  matches: BOOL,
  lowerAscii: STRING,
  upperAscii: STRING,
  trim: STRING,
  replace: STRING,
  indexOf: INT,
  lastIndexOf: INT,
};

class SelectorTypeError extends Error {}

function typeOf(expr: Expr, scope: Map<string, CelType>): CelType {
  const kind = expr.exprKind?.case;
  const value = expr.exprKind?.value;
  switch (kind) {
    case 'constExpr':
      return constantType(value.constantKind?.case);
    case 'identExpr':
      return scope.get(value.name) ?? DYN;
    case 'selectExpr':
      return selectType(value, scope);
    case 'listExpr': {
      const elems = (value.elements as Expr[]).map(e => typeOf(e, scope));
      return listOf(elems.length > 0 && elems.every(t => t.name === elems[0].name) ? elems[0] : DYN);
    }
    case 'structExpr':
      (value.entries as Expr[]).forEach(e => {
        if (e.keyKind?.case === 'mapKey') {
          typeOf(e.keyKind.value, scope);
        }
        typeOf(e.value, scope);
      });
      return value.messageName ? { name: value.messageName } : mapOf(DYN, DYN);
    case 'comprehensionExpr':
      return comprehensionType(value, scope);
    case 'callExpr':
      return callType(value, scope);
    default:
      return DYN;
  }
}

function constantType(kind: string | undefined): CelType {
  switch (kind) {
    case 'boolValue': return BOOL;
    case 'int64Value': return INT;
    case 'uint64Value': return UINT;
    case 'doubleValue': return DOUBLE;
    case 'stringValue': return STRING;
    case 'bytesValue': return BYTES;
    case 'nullValue': return NULL;
    default: return DYN;
  }
}

function selectType(select: Expr, scope: Map<string, CelType>): CelType {
  const operand = typeOf(select.operand, scope);
  const result = fieldType(operand, select.field);
  return select.testOnly ? BOOL : result;
}

function fieldType(operand: CelType, field: string): CelType {
  if (isDevice(operand)) {
    const type = operand.fields[field];
    if (!type) {
      const since = field === 'allowMultipleAllocations' ? ` before ${formatMinor(KUBERNETES_CHANGES.consumableCapacity)} (set kubernetesVersion when the cluster is newer)` : '';
      throw new SelectorTypeError(`selects device.${field}, which the API server's CEL environment does not have${since} `
        + `(device has ${Object.keys(operand.fields).join(', ')} in ${formatMinor(operand.version)})`);
    }
    return type;
  }
  if (operand.key) {
    return operand.elem!;
  }
  if (operand === DYN || operand.name.includes('.') && !LIBRARY_METHODS[operand.name]) {
    return DYN;
  }
  throw new SelectorTypeError(`selects field '${field}' of a ${operand.name}, which has no fields`);
}

function comprehensionType(c: Expr, scope: Map<string, CelType>): CelType {
  const range = typeOf(c.iterRange, scope);
  const inner = new Map(scope);
  inner.set(c.iterVar, range.key ?? range.elem ?? DYN);
  if (c.iterVar2) {
    inner.set(c.iterVar2, range.key ? range.elem! : DYN);
  }
  inner.set(c.accuVar, typeOf(c.accuInit, scope));
  typeOf(c.loopCondition, inner);
  inner.set(c.accuVar, typeOf(c.loopStep, inner));
  return typeOf(c.result, inner);
}

function callType(call: Expr, scope: Map<string, CelType>): CelType {
  const fn: string = call.function;
  // cel.bind(name, value, body): the ext.Bindings macro, declared in the DRA environment.
  if (fn === 'bind' && call.target?.exprKind?.case === 'identExpr' && call.target.exprKind.value.name === 'cel') {
    const [name, init, body] = call.args as Expr[];
    const inner = new Map(scope);
    inner.set(name.exprKind?.value?.name, typeOf(init, scope));
    return typeOf(body, inner);
  }
  const target = call.target ? typeOf(call.target, scope) : undefined;
  const args = (call.args as Expr[]).map(a => typeOf(a, scope));
  const [left, right] = args;
  if (fn === '_&&_' || fn === '_||_' || fn === '!_') {
    args.forEach(a => requireType(a, BOOL, fn));
    return BOOL;
  }
  if (fn === '_==_' || fn === '_!=_') {
    if (!comparable(left, right)) {
      throw noOverload(fn, args);
    }
    return BOOL;
  }
  if (COMPARISONS.has(fn)) {
    if (known(left) && known(right) && !(ORDERED.has(left.name) && ORDERED.has(right.name) && sameKind(left, right))) {
      throw noOverload(fn, args);
    }
    return BOOL;
  }
  if (fn === '_+_') {
    return arithmetic(fn, args, t => NUMERIC.has(t.name) || t === STRING || t === BYTES || t.elem !== undefined && !t.key);
  }
  if (ARITHMETIC.has(fn)) {
    return arithmetic(fn, args, t => NUMERIC.has(t.name));
  }
  if (fn === '-_') {
    return arithmetic(fn, args, t => NUMERIC.has(t.name));
  }
  if (fn === '_?_:_') {
    requireType(args[0], BOOL, fn);
    return args[1].name === args[2].name ? args[1] : DYN;
  }
  if (fn === '_[_]') {
    return left.key ? left.elem! : left.elem && right && assignable(right, INT) ? left.elem : left === DYN ? DYN : indexError(left);
  }
  if (fn === '@in') {
    return BOOL;
  }
  if (target && LIBRARY_METHODS[target.name]) {
    const method = LIBRARY_METHODS[target.name][fn];
    if (!method) {
      throw new SelectorTypeError(`calls ${fn}() on a ${target.name}, which has no such method`);
    }
    if (method.arg && args[0] && known(args[0]) && args[0].name !== method.arg.name) {
      throw noOverload(fn, [target, ...args]);
    }
    return method.result;
  }
  return FUNCTION_RESULTS[fn] ?? DYN;
}

function arithmetic(fn: string, args: CelType[], allowed: (t: CelType) => boolean): CelType {
  const concrete = args.filter(known);
  if (concrete.some(t => !allowed(t)) || concrete.length === 2 && !sameKind(concrete[0], concrete[1])) {
    throw noOverload(fn, args);
  }
  return concrete.length === args.length ? concrete[0] : DYN;
}

function requireType(actual: CelType, expected: CelType, fn: string): void {
  if (!assignable(actual, expected)) {
    throw new SelectorTypeError(`uses ${operatorName(fn)} on a ${actual.name}; it needs a ${expected.name}`);
  }
}

function indexError(operand: CelType): never {
  throw new SelectorTypeError(`indexes a ${operand.name}, which is not a list or map`);
}

/** A type the checker knows exactly: not dyn, and not an object type it does not model. */
function known(t: CelType): boolean {
  return t !== DYN && t !== NULL && (!t.name.includes('.') || t === QUANTITY || t === SEMVER || isDevice(t));
}

function assignable(actual: CelType, expected: CelType): boolean {
  return !known(actual) || actual.name === expected.name;
}

/** Equality needs one type on both sides; numbers compare across kinds, null and dyn with anything. */
function comparable(a: CelType, b: CelType): boolean {
  if (!known(a) || !known(b)) {
    return true;
  }
  if (a.elem || b.elem) {
    return Boolean(a.elem && b.elem) && Boolean(a.key) === Boolean(b.key);
  }
  return sameKind(a, b);
}

function sameKind(a: CelType, b: CelType): boolean {
  return a.name === b.name || NUMERIC.has(a.name) && NUMERIC.has(b.name);
}

function noOverload(fn: string, args: CelType[]): SelectorTypeError {
  return new SelectorTypeError(`applies ${operatorName(fn)} to (${args.map(a => a.name).join(', ')}), for which CEL has no overload`);
}

function operatorName(fn: string): string {
  const match = /^[_!@-]*([^_]+?)[_]*$/.exec(fn);
  return fn.startsWith('_') || fn.endsWith('_') ? `'${match?.[1] ?? fn}'` : `${fn}()`;
}
