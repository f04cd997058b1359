import { desugarOptionals, tokenize } from './cel-expression';

/**
 * The common subset of the CEL of admission policies, evaluated directly on JSON values.
 *
 * Loading @bufbuild/cel (with @bufbuild/protobuf, about 130 files) costs a `cdk8s-dra check`
 * run more than reading and checking thousands of objects, and converting every binding to
 * CEL values costs each synthesis more than the other rules together. The policies drivers
 * ship (the upstream example driver's, NVIDIA's, DraDriver's) use a small part of CEL:
 * field selection, indexing, equality, `in`, `&&`, `||`, `!`, `?:`, string `+`, `has()`,
 * `size()` and optional chains ending in `orValue()`, `hasValue()` or `value()`.
 *
 * Whatever this evaluator is not sure to compute exactly as @bufbuild/cel does (any other
 * syntax or function, doubles, an evaluation error, an operand of an unexpected type) makes
 * it give up, and the caller evaluates the whole policy with @bufbuild/cel: its results,
 * and its error messages, are the reference.
 */

/** A compiled expression: its value on JSON bindings; throws `OutsideSubset` where it gives up. */
export type DirectProgram = (bindings: DirectBindings) => unknown;

/** JSON values by name: request, object, oldObject, namespaceObject, variables (a map of the variables evaluated so far). */
export type DirectBindings = Readonly<Record<string, unknown>>;

/** Thrown where the expression or a value is outside the subset: evaluate with @bufbuild/cel instead. */
export class OutsideSubset extends Error {}

const OUTSIDE = new OutsideSubset('outside the directly evaluated CEL subset');

/** The variables of admission policies (`params` and `authorizer` are not provided by the checks at all). */
const BINDING_NAMES = new Set(['request', 'object', 'oldObject', 'namespaceObject', 'variables']);

/** CEL's reserved words: @bufbuild/cel refuses some as identifiers and not as fields; this evaluator refuses them everywhere. */
const RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

const programs = new Map<string, DirectProgram | undefined>();

/** The expression compiled for direct evaluation (once per text), or undefined when it is outside the subset. */
export function compileDirect(expression: string): DirectProgram | undefined {
  if (programs.has(expression)) return programs.get(expression);
  const program = compile(expression);
  programs.set(expression, program);
  return program;
}

function compile(expression: string): DirectProgram | undefined {
  const desugared = desugarOptionals(expression);
  if (desugared.kind !== 'text') return undefined;
  const tokens = tokenize(desugared.text);
  if (tokens === undefined) return undefined;
  try {
    const parser = new Parser(tokens.map(t => t.text));
    const program = parser.expression();
    if (!parser.done()) return undefined;
    return program;
  } catch (e) {
    if (e instanceof OutsideSubset) return undefined;
    throw e;
  }
}

type Kind = 'null' | 'bool' | 'int' | 'string' | 'list' | 'map';

/** The CEL type of a JSON value; integers are CEL ints (as the conversion to CEL values makes them), other numbers are outside. */
function kindOf(value: unknown): Kind {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean': return 'bool';
    case 'string': return 'string';
    case 'number':
      if (Number.isSafeInteger(value)) return 'int';
      throw OUTSIDE;
    case 'object': return Array.isArray(value) ? 'list' : 'map';
    default: throw OUTSIDE;
  }
}

function hasOwn(map: unknown, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/** CEL equality: values of different types are unequal; lists and maps are left to @bufbuild/cel. */
function equal(a: unknown, b: unknown): boolean {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb) return false;
  if (ka === 'list' || ka === 'map') throw OUTSIDE;
  return a === b;
}

function bool(value: unknown): boolean {
  if (typeof value !== 'boolean') throw OUTSIDE;
  return value;
}

function select(value: unknown, field: string): unknown {
  if (kindOf(value) !== 'map' || !hasOwn(value, field)) throw OUTSIDE;
  return (value as Record<string, unknown>)[field];
}

function index(value: unknown, key: unknown): unknown {
  const kind = kindOf(value);
  if (kind === 'map' && typeof key === 'string' && hasOwn(value, key)) return (value as Record<string, unknown>)[key];
  if (kind === 'list' && kindOf(key) === 'int' && (key as number) >= 0 && (key as number) < (value as unknown[]).length) return (value as unknown[])[key as number];
  throw OUTSIDE;
}

function size(value: unknown): number {
  switch (kindOf(value)) {
    // Code points, as CEL counts them.
    case 'string': return [...(value as string)].length;
    case 'list': return (value as unknown[]).length;
    case 'map': return Object.keys(value as object).length;
    default: throw OUTSIDE;
  }
}

const MISSING = Symbol('missing');

/** The optional chain's path walked from `value` (as cel-expression.ts's functions walk it); MISSING where a step is absent. */
function walk(value: unknown, path: unknown): unknown {
  if (kindOf(path) !== 'list') throw OUTSIDE;
  let current = value;
  for (const key of path as unknown[]) {
    const kind = kindOf(current);
    if (kind === 'map') {
      // A map built from JSON has string keys only: any other key is absent.
      if (typeof key !== 'string' || !hasOwn(current, key)) return MISSING;
      current = (current as Record<string, unknown>)[key];
    } else if (kind === 'list' && kindOf(key) === 'int') {
      if ((key as number) < 0 || (key as number) >= (current as unknown[]).length) return MISSING;
      current = (current as unknown[])[key as number];
    } else {
      return MISSING;
    }
  }
  return current;
}

/** The functions of the subset, by name and argument count; `receiver` for `x.f()` calls. */
const GLOBAL_FUNCTIONS: Record<string, (args: unknown[]) => unknown> = {
  'size/1': ([x]) => size(x),
  '__optOrValue/3': ([value, path, fallback]) => {
    const found = walk(value, path);
    return found === MISSING ? fallback : found;
  },
  '__optHasValue/2': ([value, path]) => walk(value, path) !== MISSING,
  // An empty optional's value() is an evaluation error: @bufbuild/cel says which.
  '__optValue/2': ([value, path]) => {
    const found = walk(value, path);
    if (found === MISSING) throw OUTSIDE;
    return found;
  },
};
const RECEIVER_FUNCTIONS: Record<string, (receiver: unknown, args: unknown[]) => unknown> = {
  'size/0': receiver => size(receiver),
};

type Node = DirectProgram;

const RELATIONS = new Set(['==', '!=', 'in', '<', '<=', '>', '>=']);

/** Recursive descent over CEL's grammar (cel-spec's syntax.md), compiling to closures; outside the subset it throws. */
class Parser {
  private position = 0;

  constructor(private readonly tokens: string[]) {}

  public done(): boolean {
    return this.position === this.tokens.length;
  }

  /** Expr = ConditionalOr ["?" ConditionalOr ":" Expr] */
  public expression(): Node {
    const condition = this.conditionalOr();
    if (!this.accept('?')) return condition;
    const then = this.conditionalOr();
    this.expect(':');
    const otherwise = this.expression();
    return b => (bool(condition(b)) ? then(b) : otherwise(b));
  }

  private conditionalOr(): Node {
    let left = this.conditionalAnd();
    while (this.accept('||')) {
      const l = left;
      const right = this.conditionalAnd();
      // Left to right; an error on the left (CEL would still try the right) is left to @bufbuild/cel.
      left = b => bool(l(b)) || bool(right(b));
    }
    return left;
  }

  private conditionalAnd(): Node {
    let left = this.relation();
    while (this.accept('&&')) {
      const l = left;
      const right = this.relation();
      left = b => bool(l(b)) && bool(right(b));
    }
    return left;
  }

  private relation(): Node {
    const left = this.addition();
    const op = this.peek();
    if (op === undefined || !RELATIONS.has(op)) return left;
    this.position++;
    const right = this.addition();
    // A chain such as `a == b == c` is left to @bufbuild/cel.
    if (RELATIONS.has(this.peek() ?? '')) throw OUTSIDE;
    return relational(op, left, right);
  }

  private addition(): Node {
    let left = this.unary();
    for (;;) {
      const op = this.peek();
      if (op !== '+' && op !== '-') return left;
      this.position++;
      const l = left;
      const right = this.unary();
      left = op === '+' ? b => plus(l(b), right(b)) : b => minus(l(b), right(b));
    }
  }

  private unary(): Node {
    if (this.accept('!')) {
      const operand = this.unary();
      return b => !bool(operand(b));
    }
    if (this.peek() === '-') throw OUTSIDE;
    return this.member();
  }

  private member(): Node {
    return this.memberChain().node;
  }

  /** Primary {"." IDENT ["(" args ")"] | "[" Expr "]"}; `selection` when it ends in a field selection (for has()). */
  private memberChain(): { node: Node; selection?: { operand: Node; field: string } } {
    let node = this.primary();
    let selection: { operand: Node; field: string } | undefined;
    for (;;) {
      const operand = node;
      if (this.accept('.')) {
        const name = this.identifier();
        if (this.accept('(')) {
          const args = this.arguments(')');
          const fn = RECEIVER_FUNCTIONS[`${name}/${args.length}`];
          if (fn === undefined) throw OUTSIDE;
          node = b => fn(operand(b), args.map(a => a(b)));
          selection = undefined;
        } else {
          node = b => select(operand(b), name);
          selection = { operand, field: name };
        }
      } else if (this.accept('[')) {
        const key = this.expression();
        this.expect(']');
        node = b => index(operand(b), key(b));
        selection = undefined;
      } else {
        return { node, selection };
      }
    }
  }

  private primary(): Node {
    const token = this.next();
    if (token === '(') {
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    if (token === '[') {
      const items = this.arguments(']');
      return b => items.map(item => item(b));
    }
    if (token === 'true' || token === 'false') {
      const value = token === 'true';
      return () => value;
    }
    if (token === 'null') return () => null;
    if (/^(0|[1-9]\d*)$/.test(token)) {
      const value = Number(token);
      if (!Number.isSafeInteger(value)) throw OUTSIDE;
      return () => value;
    }
    if (token[0] === '"' || token[0] === "'") {
      const value = stringLiteral(token);
      return () => value;
    }
    if (!/^[A-Za-z_]\w*$/.test(token) || RESERVED.has(token)) throw OUTSIDE;
    if (this.accept('(')) {
      if (token === 'has') return this.hasMacro();
      const args = this.arguments(')');
      const fn = GLOBAL_FUNCTIONS[`${token}/${args.length}`];
      if (fn === undefined) throw OUTSIDE;
      return b => fn(args.map(a => a(b)));
    }
    if (!BINDING_NAMES.has(token)) throw OUTSIDE;
    return b => {
      if (!hasOwn(b, token)) throw OUTSIDE;
      return b[token];
    };
  }

  /** `has(x.f)`: whether map x has the field f (on anything but a map, @bufbuild/cel decides). */
  private hasMacro(): Node {
    const { selection } = this.memberChain();
    this.expect(')');
    if (selection === undefined) throw OUTSIDE;
    const { operand, field } = selection;
    return b => {
      const value = operand(b);
      if (kindOf(value) !== 'map') throw OUTSIDE;
      return hasOwn(value, field);
    };
  }

  private arguments(close: string): Node[] {
    const args: Node[] = [];
    if (this.accept(close)) return args;
    do {
      args.push(this.expression());
    } while (this.accept(','));
    this.expect(close);
    return args;
  }

  private identifier(): string {
    const token = this.next();
    if (!/^[A-Za-z_]\w*$/.test(token) || RESERVED.has(token)) throw OUTSIDE;
    return token;
  }

  private peek(): string | undefined {
    return this.tokens[this.position];
  }

  private next(): string {
    const token = this.tokens[this.position++];
    if (token === undefined) throw OUTSIDE;
    return token;
  }

  private accept(token: string): boolean {
    if (this.tokens[this.position] !== token) return false;
    this.position++;
    return true;
  }

  private expect(token: string): void {
    if (!this.accept(token)) throw OUTSIDE;
  }
}

function relational(op: string, left: Node, right: Node): Node {
  switch (op) {
    case '==': return b => equal(left(b), right(b));
    case '!=': return b => !equal(left(b), right(b));
    case 'in': return b => {
      const needle = left(b);
      const haystack = right(b);
      const kind = kindOf(haystack);
      if (kind === 'list') return (haystack as unknown[]).some(item => equal(needle, item));
      if (kind === 'map' && typeof needle === 'string') return hasOwn(haystack, needle);
      throw OUTSIDE;
    };
    default: return b => compareInts(op, left(b), right(b));
  }
}

function compareInts(op: string, a: unknown, b: unknown): boolean {
  if (kindOf(a) !== 'int' || kindOf(b) !== 'int') throw OUTSIDE;
  const x = a as number;
  const y = b as number;
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

function plus(a: unknown, b: unknown): unknown {
  const ka = kindOf(a);
  if (ka === 'string' && kindOf(b) === 'string') return (a as string) + (b as string);
  if (ka === 'int' && kindOf(b) === 'int') return safeInt((a as number) + (b as number));
  throw OUTSIDE;
}

function minus(a: unknown, b: unknown): unknown {
  if (kindOf(a) === 'int' && kindOf(b) === 'int') return safeInt((a as number) - (b as number));
  throw OUTSIDE;
}

/** Beyond 2^53 a JavaScript number is no longer exact (CEL's ints go to 2^63): left to @bufbuild/cel. */
function safeInt(value: number): number {
  if (!Number.isSafeInteger(value)) throw OUTSIDE;
  return value;
}

/** A quoted string without a prefix; escapes other than the plain ones are left to @bufbuild/cel. */
function stringLiteral(token: string): string {
  const quote = token[0];
  if (token.startsWith(quote.repeat(3)) || token.length < 2 || token[token.length - 1] !== quote) throw OUTSIDE;
  const body = token.slice(1, -1);
  return body.replace(/\\(.?)/g, (_, c: string) => {
    switch (c) {
      case '\\': return '\\';
      case '"': return '"';
      case "'": return "'";
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      default: throw OUTSIDE;
    }
  });
}
