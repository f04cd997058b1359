import type { CelEnv, CelValue } from '@bufbuild/cel';
import { celExtensions, celPackage } from '../common/lazy-packages';

/**
 * CEL expressions of admission policies, run with @bufbuild/cel.
 *
 * Kubernetes policies lean on CEL's optional syntax (`extra[?'key']`, `spec.?nodeName`,
 * `.orValue(x)`), which @bufbuild/cel does not parse. A chain with optional accessors that
 * ends in `.orValue(d)`, `.hasValue()` or `.value()` is rewritten to a call of a function
 * below that walks the same path and treats a missing step the way CEL's optionals do;
 * any other use of optionals cannot be evaluated, and says so.
 */

/** The value of an expression, an evaluation error, or why it cannot be evaluated here. */
export type CelOutcome =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'unsupported'; readonly reason: string };

/** A parsed expression, ready to run on bindings; or why it cannot be run here. */
export type CompiledCel =
  /** `bindings` are CEL inputs: convert JSON with `toCel` once, then run any number of expressions on them. */
  | { readonly kind: 'compiled'; run(bindings: Record<string, unknown>): CelOutcome }
  | { readonly kind: 'unsupported'; readonly reason: string };

const OPT_OR = '__optOrValue';
const OPT_HAS = '__optHasValue';
const OPT_VALUE = '__optValue';
const MISSING = Symbol('missing');

/** Walks `path` from `value`; MISSING where a step is absent (CEL optional chaining). */
function walk(value: CelValue, path: Iterable<CelValue>): CelValue | typeof MISSING {
  const { isCelList, isCelMap } = celPackage();
  let current: CelValue = value;
  for (const key of path) {
    if (isCelMap(current)) {
      if (!current.has(key as any)) return MISSING;
      current = current.get(key as any)!;
    } else if (isCelList(current) && typeof key === 'bigint') {
      const item = current.get(Number(key));
      if (item === undefined) return MISSING;
      current = item;
    } else {
      // null (an absent object) and scalars have no fields: the optional is empty.
      return MISSING;
    }
  }
  return current;
}

let env: CelEnv | undefined;

/** The CEL environment: the strings extension and the optional-chaining functions above; built on first use. */
function celEnvironment(): CelEnv {
  if (env !== undefined) return env;
  const { celEnv, celFunc, CelScalar, listType } = celPackage();
  const DYN = CelScalar.DYN;
  const PATH = listType(DYN);
  const optionalFuncs = [
    celFunc(OPT_OR, [DYN, PATH, DYN], DYN, (value, path, fallback) => {
      const found = walk(value, path);
      return (found === MISSING ? fallback : found) as any;
    }),
    celFunc(OPT_HAS, [DYN, PATH], CelScalar.BOOL, (value, path) => walk(value, path) !== MISSING),
    celFunc(OPT_VALUE, [DYN, PATH], DYN, (value, path) => {
      const found = walk(value, path);
      if (found === MISSING) throw new Error('optional.none() dereference');
      return found as any;
    }),
  ];
  env = celEnv({ funcs: [...celExtensions().strings, ...optionalFuncs] });
  return env;
}

/** Variables an expression may read, and those this evaluator cannot provide. */
const UNSUPPORTED_VARIABLES: Record<string, string> = {
  params: 'reads params (a policy with paramKind)',
  authorizer: 'calls the authorizer',
};

/** Expressions compiled so far: each driver's policy repeats the same ones, and parsing dominates a check's CEL time. */
const compiledExpressions = new Map<string, CompiledCel>();

/** Parses an expression once (once per process for a given text); the plan runs on any bindings. */
export function compileCel(expression: string): CompiledCel {
  let compiled = compiledExpressions.get(expression);
  if (compiled === undefined) {
    compiled = compile(expression);
    compiledExpressions.set(expression, compiled);
  }
  return compiled;
}

function compile(expression: string): CompiledCel {
  const desugared = desugarOptionals(expression);
  if (desugared.kind === 'unsupported') return desugared;
  for (const [name, reason] of Object.entries(UNSUPPORTED_VARIABLES)) {
    if (new RegExp(`(^|[^\\w.])${name}\\b`).test(stripStrings(desugared.text))) return { kind: 'unsupported', reason };
  }
  const { isCelError, parse, plan } = celPackage();
  let program: ReturnType<typeof plan>;
  try {
    program = plan(celEnvironment(), parse(desugared.text));
  } catch (e) {
    return { kind: 'unsupported', reason: `does not parse here (${(e as Error).message})` };
  }
  return {
    kind: 'compiled',
    run(bindings) {
      const result = program(bindings as any);
      if (!isCelError(result)) return { kind: 'value', value: result };
      const unbound = /^unbound function: (.*)$/.exec(result.message);
      return unbound
        ? { kind: 'unsupported', reason: `calls ${unbound[1]}(), which this evaluator does not have` }
        : { kind: 'error', message: result.message };
    },
  };
}

/** JSON to CEL input: objects become maps, integers CEL ints (JSON has no int/double split); CEL values stay. */
export function toCel(value: unknown): unknown {
  const { isCelList, isCelMap } = celPackage();
  if (isCelMap(value) || isCelList(value)) return value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, toCel(v)]));
  if (value !== null && typeof value === 'object') return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return value;
}

export interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const TOKEN = /\s+|\/\/[^\n]*|[rRbB]{0,2}("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|\d+\.\d*(?:[eE][+-]?\d+)?|0x[0-9a-fA-F]+u?|\d+u?|[A-Za-z_]\w*|&&|\|\||==|!=|<=|>=|[-+*/%!<>?:.,()[\]{}]/y;

export function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) return undefined;
    if (!/^(\s|\/\/)/.test(match[0])) tokens.push({ text: match[0], start, end: TOKEN.lastIndex });
  }
  return tokens;
}

function stripStrings(text: string): string {
  return (tokenize(text) ?? []).map(t => (/^[rRbB]*["']/.test(t.text) ? '""' : t.text)).join(' ');
}

const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Whether the token ends an operand (so a following `[` indexes it rather than starting a list). */
function endsOperand(token: Token | undefined): boolean {
  if (token === undefined) return false;
  if (token.text === ')' || token.text === ']' || token.text === '}') return true;
  return /^[\w"']/.test(token.text) && token.text !== 'in';
}

function matching(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (OPENERS[tokens[i].text]) depth++;
    else if (CLOSERS[tokens[i].text] && --depth === 0) return i;
  }
  return -1;
}

function matchingBack(tokens: Token[], close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    if (CLOSERS[tokens[i].text]) depth++;
    else if (OPENERS[tokens[i].text] && --depth === 0) return i;
  }
  return -1;
}

/** Rewrites every optional chain to a function call, or says why it cannot. */
export function desugarOptionals(text: string): { kind: 'text'; text: string } | { kind: 'unsupported'; reason: string } {
  let current = text;
  // Each pass rewrites the first chain; a bound keeps a malformed input from looping.
  for (let pass = 0; pass < 100; pass++) {
    const tokens = tokenize(current);
    if (!tokens) return { kind: 'unsupported', reason: 'has text this evaluator cannot read' };
    const first = tokens.findIndex((t, i) => t.text === '?' && i > 0
      && (tokens[i - 1].text === '.' || (tokens[i - 1].text === '[' && endsOperand(tokens[i - 2]))) && tokens[i - 1].end === t.start);
    if (first < 0) {
      if (tokens.some((t, i) => t.text === '?' && (tokens[i - 1]?.text === '[' || tokens[i - 1]?.text === '{' || tokens[i - 1]?.text === ','))) {
        return { kind: 'unsupported', reason: 'builds optional list or map entries' };
      }
      return { kind: 'text', text: current };
    }
    const accessor = first - 1;
    // The operand: the postfix chain (names, calls, indexes, a parenthesized primary) before the first optional accessor.
    let start = accessor;
    for (;;) {
      const prev = tokens[start - 1];
      if (prev === undefined) break;
      if (CLOSERS[prev.text]) {
        start = matchingBack(tokens, start - 1);
        if (start < 0) return { kind: 'unsupported', reason: 'has unbalanced brackets' };
        continue;
      }
      if (endsOperand(prev) && !CLOSERS[prev.text]) {
        start--;
        if (tokens[start - 1]?.text === '.') start--;
        else break;
        continue;
      }
      break;
    }
    if (start === accessor) return { kind: 'unsupported', reason: 'uses an optional accessor without an operand' };
    // The path: every accessor after the operand, up to orValue/hasValue/value.
    const path: string[] = [];
    let i = accessor;
    let terminal: { fn: string; fallback?: string; end: number } | undefined;
    while (i < tokens.length && terminal === undefined) {
      const optional = tokens[i + 1]?.text === '?' && tokens[i + 1].start === tokens[i].end;
      if (tokens[i].text === '.') {
        const name = tokens[i + (optional ? 2 : 1)];
        if (!name || !/^[A-Za-z_]\w*$/.test(name.text)) return { kind: 'unsupported', reason: 'has a malformed optional selection' };
        const after = tokens[i + (optional ? 3 : 2)];
        if (!optional && after?.text === '(') {
          const close = matching(tokens, i + 2);
          if (close < 0) return { kind: 'unsupported', reason: 'has unbalanced brackets' };
          const args = current.slice(tokens[i + 2].end, tokens[close].start).trim();
          if (name.text === 'orValue') terminal = { fn: OPT_OR, fallback: args, end: close };
          else if (name.text === 'hasValue' && args === '') terminal = { fn: OPT_HAS, end: close };
          else if (name.text === 'value' && args === '') terminal = { fn: OPT_VALUE, end: close };
          else return { kind: 'unsupported', reason: `calls ${name.text}() on an optional value` };
          break;
        }
        path.push(JSON.stringify(name.text));
        i += optional ? 3 : 2;
      } else if (tokens[i].text === '[') {
        const close = matching(tokens, i);
        if (close < 0) return { kind: 'unsupported', reason: 'has unbalanced brackets' };
        path.push(current.slice(tokens[i + (optional ? 1 : 0)].end, tokens[close].start));
        i = close + 1;
      } else {
        break;
      }
    }
    if (!terminal) return { kind: 'unsupported', reason: 'uses an optional value other than through orValue(), hasValue() or value()' };
    const operand = current.slice(tokens[start].start, tokens[accessor].start);
    const args = [operand, `[${path.join(', ')}]`, ...(terminal.fallback !== undefined ? [terminal.fallback] : [])];
    current = `${current.slice(0, tokens[start].start)}${terminal.fn}(${args.join(', ')})${current.slice(tokens[terminal.end].end)}`;
  }
  return { kind: 'unsupported', reason: 'has too many optional chains' };
}
