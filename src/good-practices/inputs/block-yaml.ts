/**
 * A scanner for the block-style YAML that tools write (cdk8s, `helm template`, `kubectl get
 * -o yaml`): block mappings and sequences, plain and single-line quoted scalars, `|` literals,
 * `[]` and `{}`, comments. It reads such a file several times faster than the `yaml` package,
 * which builds a full syntax tree with positions; `readManifests` uses it first and gives the
 * whole file to the `yaml` package when it meets anything else (anchors, aliases, tags, flow
 * collections, folded or multi-line scalars, directives, CRLF, duplicate keys, bad syntax), so
 * results and error messages are the package's own. Scalars resolve by the YAML 1.2 core
 * schema, the package's default, with the package's own tests and conversions.
 */

/** One document: its value (undefined when it holds nothing) and the line its content starts on. */
export interface BlockDocument {
  readonly value: unknown;
  readonly line: number;
}

/** A line's key (`keyEnd`: the offset of its `:` from the key's start) and the scalar after it, if any (`end` from the key's start). */
interface KeyLine {
  readonly key: string;
  readonly keyEnd: number;
  readonly scalar?: { readonly value: unknown; readonly end: number };
}

/** Thrown inside the scanner when the text leaves the subset; never escapes `readBlockDocuments`. */
class OutsideSubset extends Error {}
const OUTSIDE = new OutsideSubset();

/** Deeper than this, the scanner stops and the full parser gives its own verdict; below the reader's 256-level limit, so what the scanner returns never needs that check. */
const MAX_NESTING = 200;

/**
 * The documents of `text`, or undefined when any of it is outside the subset (the caller
 * then parses the whole text with the `yaml` package).
 */
export function readBlockDocuments(text: string): BlockDocument[] | undefined {
  if (text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    return new BlockScanner(text).documents();
  } catch (e) {
    if (e === OUTSIDE) return undefined;
    throw e;
  }
}

const SPACE = 32;
const NEWLINE = 10;
const HASH = 35;
const DASH = 45;
const COLON = 58;

/** Characters a plain scalar or key cannot start with (YAML indicators), beyond `-`, handled apart. */
const INDICATORS = new Set('?:,[]{}#&*!|>\'"%@`\t'.split('').map(c => c.charCodeAt(0)));

class BlockScanner {
  /** Start of the current line. */
  private pos = 0;
  /** 1-based number of the current line. */
  private lineNo = 1;
  /** End of the current document's text (a `---` line or the end). */
  private end = 0;
  private depth = 0;
  /** Where the last inline value ended; -1 after a block literal (which moved past its own lines). */
  private valueEnd = -1;
  /** The end of the line that starts at `lineEndFor`, computed once per line. */
  private lineEnd = 0;
  private lineEndFor = -1;
  /** Key lines by their text (from the key to the newline). */
  private readonly keyLines = new Map<string, KeyLine>();
  /** The last line `keyLine` read: it is asked twice for a mapping's first key. */
  private lastKeyLineAt = -1;
  private lastKeyLine?: KeyLine;

  constructor(private readonly text: string) {}

  public documents(): BlockDocument[] {
    const text = this.text;
    const out: BlockDocument[] = [];
    let explicitStart = false;
    while (this.pos < text.length || explicitStart) {
      this.end = this.documentEnd(this.pos);
      const content = this.nextContentLine();
      if (content < 0) {
        // Nothing but comments: before the first `---` that is the next document's prologue.
        if (explicitStart || out.length > 0) out.push({ value: undefined, line: this.lineNo });
      } else {
        const line = this.lineNo;
        const value = this.node(content - this.pos, -1);
        if (this.nextContentLine() >= 0) throw OUTSIDE;
        out.push({ value, line });
      }
      explicitStart = this.end < text.length;
      if (!explicitStart) break;
      // Past the `---` line, which carries nothing but a comment.
      const newline = text.indexOf('\n', this.end);
      const lineEnd = newline < 0 ? text.length : newline;
      const rest = text.slice(this.end + 3, lineEnd).trim();
      if (rest !== '' && !rest.startsWith('#')) throw OUTSIDE;
      this.pos = lineEnd + 1;
      this.lineNo += 1;
      if (lineEnd >= text.length) {
        out.push({ value: undefined, line: this.lineNo });
        break;
      }
    }
    return out;
  }

  /** Where the document starting at `from` ends: the next line that is `---`, or the end of the text. */
  private documentEnd(from: number): number {
    // One native search rather than a step per line (a command-line run is over before the JIT warms up).
    // `from` starts a line: the text's start, or just after a newline.
    let boundary: string;
    let at: number;
    const first = from === 0 ? FIRST_LINE_BOUNDARY.exec(this.text) : null;
    if (first !== null) {
      boundary = first[0];
      at = 0;
    } else {
      DOCUMENT_BOUNDARY.lastIndex = from === 0 ? 0 : from - 1;
      const found = DOCUMENT_BOUNDARY.exec(this.text);
      if (found === null) return this.text.length;
      boundary = found[0].slice(1);
      at = found.index + 1;
    }
    // `...` ends a document and `%` starts a directive: left to the full parser.
    if (boundary !== '---') throw OUTSIDE;
    return at;
  }

  /** The end of the current line (its newline, or the document's end); `at` is on that line. */
  private lineEndOf(at: number): number {
    if (this.lineEndFor !== this.pos) {
      const next = this.text.indexOf('\n', this.pos);
      this.lineEnd = next < 0 || next > this.end ? this.end : next;
      this.lineEndFor = this.pos;
    }
    return at <= this.lineEnd ? this.lineEnd : this.end;
  }

  /**
   * Moves to the next line that holds content in this document and returns the offset of its
   * first character (its indent is that minus `pos`), or -1 at the document's end.
   */
  private nextContentLine(): number {
    const text = this.text;
    while (this.pos < this.end) {
      const at = skipSpaces(text, this.pos);
      const c = text.charCodeAt(at);
      if (c === 9) throw OUTSIDE;
      if (at < this.end && c !== NEWLINE && c !== HASH) return at;
      this.advanceLine();
    }
    return -1;
  }

  private advanceLine(): void {
    const lineEnd = this.lineEndOf(this.pos);
    this.pos = lineEnd >= this.end ? this.end : lineEnd + 1;
    this.lineNo += 1;
  }

  /** The node whose first line starts (after `indent` spaces) on the current line, inside a parent indented `parentIndent`. */
  private node(indent: number, parentIndent: number): unknown {
    if (++this.depth > MAX_NESTING) throw OUTSIDE;
    const at = this.pos + indent;
    const text = this.text;
    let value: unknown;
    if (text.charCodeAt(at) === DASH && isBlankOrEnd(text.charCodeAt(at + 1))) {
      value = this.sequence(indent);
    } else if (this.keyLine(at) !== undefined) {
      value = this.mapping(indent, at);
    } else {
      value = this.inlineValue(at, parentIndent);
      this.endScalarLine();
    }
    this.depth--;
    return value;
  }

  /** A block sequence whose `-` entries are indented `indent`. */
  private sequence(indent: number): unknown[] {
    const text = this.text;
    const items: unknown[] = [];
    for (;;) {
      let at = this.pos + indent + 1;
      while (text.charCodeAt(at) === SPACE) at++;
      const c = text.charCodeAt(at);
      if (c === NEWLINE || c === HASH || at >= this.end) {
        this.advanceLine();
        items.push(this.nestedValue(indent, false));
      } else if (c === DASH && isBlankOrEnd(text.charCodeAt(at + 1))) {
        throw OUTSIDE;
      } else if (this.keyLine(at) !== undefined) {
        if (++this.depth > MAX_NESTING) throw OUTSIDE;
        items.push(this.mapping(at - this.pos, at));
        this.depth--;
      } else {
        items.push(this.inlineValue(at, indent));
        this.endScalarLine();
      }
      const next = this.nextContentLine();
      if (next < 0) return items;
      const nextIndent = next - this.pos;
      if (nextIndent < indent) return items;
      if (nextIndent > indent) throw OUTSIDE;
      if (text.charCodeAt(next) !== DASH || !isBlankOrEnd(text.charCodeAt(next + 1))) return items;
    }
  }

  /** A block mapping whose keys are indented `indent`; the first key starts at `first` (maybe after a `- `). */
  private mapping(indent: number, first: number): object {
    const text = this.text;
    const map: { [key: string]: unknown } = {};
    let at = first;
    for (;;) {
      const line = this.keyLine(at);
      if (line === undefined) throw OUTSIDE;
      const key = line.key;
      if (key === '__proto__' || key === '<<' || Object.prototype.hasOwnProperty.call(map, key)) throw OUTSIDE;
      if (line.scalar !== undefined) {
        map[key] = line.scalar.value;
        this.valueEnd = at + line.scalar.end;
        this.endScalarLine();
      } else {
        let v = at + line.keyEnd + 1;
        while (text.charCodeAt(v) === SPACE) v++;
        const c = text.charCodeAt(v);
        if (c === NEWLINE || c === HASH || v >= this.end) {
          this.advanceLine();
          map[key] = this.nestedValue(indent, true);
        } else {
          map[key] = this.inlineValue(v, indent);
          this.endScalarLine();
        }
      }
      const next = this.nextContentLine();
      if (next < 0) return map;
      const nextIndent = next - this.pos;
      if (nextIndent < indent) return map;
      if (nextIndent > indent) throw OUTSIDE;
      at = next;
    }
  }

  /**
   * The value on the lines after a key or `-` with nothing after it: a node indented more
   * than the parent, a sequence at the key's own indent (`key:` then `- item`), or null.
   */
  private nestedValue(parentIndent: number, sequenceMayAlign: boolean): unknown {
    const next = this.nextContentLine();
    if (next < 0) return null;
    const indent = next - this.pos;
    if (indent > parentIndent) return this.node(indent, parentIndent);
    if (sequenceMayAlign && indent === parentIndent && this.text.charCodeAt(next) === DASH && isBlankOrEnd(this.text.charCodeAt(next + 1))) {
      if (++this.depth > MAX_NESTING) throw OUTSIDE;
      const items = this.sequence(indent);
      this.depth--;
      return items;
    }
    return null;
  }

  /**
   * The key that starts at `at` on this line (undefined when the line holds none), and the
   * scalar after it when there is one. Generated manifests repeat most of their lines (a
   * thousand RoleBindings differ in one line each), so a line ending inside the document is
   * read once per distinct text; a key or scalar the scanner refuses is never remembered.
   */
  private keyLine(at: number): KeyLine | undefined {
    if (this.lastKeyLineAt === at) return this.lastKeyLine;
    const lineEnd = this.lineEndOf(at);
    // A line that ends with a newline inside the document is read the same wherever it is: nothing past its end counts.
    const text = lineEnd < this.end ? this.text.slice(at, lineEnd) : undefined;
    let line = text === undefined ? undefined : this.keyLines.get(text);
    if (line === undefined) {
      line = this.readKeyLine(at);
      if (line !== undefined && text !== undefined) this.keyLines.set(text, line);
    }
    this.lastKeyLineAt = at;
    this.lastKeyLine = line;
    return line;
  }

  private readKeyLine(at: number): KeyLine | undefined {
    const keyEnd = this.keyEnd(at);
    if (keyEnd < 0) return undefined;
    const key = this.key(at, keyEnd);
    let v = keyEnd + 1;
    while (this.text.charCodeAt(v) === SPACE) v++;
    const c = this.text.charCodeAt(v);
    // A quoted or plain scalar: immutable, and read from this line alone (not a block scalar, a collection or a nested node).
    if (v >= this.end || c === NEWLINE || c === HASH || c === 124 || c === 62 || c === 91 || c === 123) return { key, keyEnd: keyEnd - at };
    const value = this.inlineValue(v, -1);
    return { key, keyEnd: keyEnd - at, scalar: { value, end: this.valueEnd - at } };
  }

  /** The offset of the `:` that ends a key starting at `at` on this line, or -1 when the line holds no key. */
  private keyEnd(at: number): number {
    const text = this.text;
    const c = text.charCodeAt(at);
    if (c === 34 || c === 39) {
      const close = this.quoteEnd(at);
      if (close < 0) return -1;
      let after = close + 1;
      while (text.charCodeAt(after) === SPACE) after++;
      return text.charCodeAt(after) === COLON && isBlankOrEnd(text.charCodeAt(after + 1)) ? after : -1;
    }
    if (INDICATORS.has(c) || (c === DASH && isBlankOrEnd(text.charCodeAt(at + 1)))) return -1;
    const lineEnd = this.lineEndOf(at);
    let colon = text.indexOf(':', at);
    while (colon >= 0 && colon < lineEnd) {
      if (isBlankOrEnd(text.charCodeAt(colon + 1)) || colon + 1 === this.end) {
        return commentStart(text, at, colon) < colon ? -1 : colon;
      }
      colon = text.indexOf(':', colon + 1);
    }
    return -1;
  }

  private key(at: number, keyEnd: number): string {
    const c = this.text.charCodeAt(at);
    if (c === 34 || c === 39) return this.quoted(at, this.quoteEnd(at));
    const raw = this.text.slice(at, keyEnd).trimEnd();
    if (raw.includes('\t')) throw OUTSIDE;
    // A key the core schema reads as a number, boolean or null is left to the full parser.
    if (typeof resolvePlain(raw) !== 'string') throw OUTSIDE;
    return raw;
  }

  /** A scalar or empty collection that starts at `at` and ends on this line. */
  private inlineValue(at: number, parentIndent: number): unknown {
    const text = this.text;
    const c = text.charCodeAt(at);
    this.valueEnd = -1;
    if (c === 34 || c === 39) {
      const close = this.quoteEnd(at);
      if (close < 0) throw OUTSIDE;
      this.valueEnd = close + 1;
      return this.quoted(at, close);
    }
    if (c === 124 || c === 62) return this.blockScalar(at, parentIndent);
    if (c === 91) return this.flowSequence(at);
    if (c === 123) {
      if (!text.startsWith('{}', at)) throw OUTSIDE;
      this.valueEnd = at + 2;
      return {};
    }
    if (!startsPlain(text, at)) throw OUTSIDE;
    const lineEnd = this.lineEndOf(at);
    const end = commentStart(text, at, lineEnd);
    const raw = text.slice(at, end).trimEnd();
    if (raw.includes(': ') || raw.endsWith(':') || raw.includes('\t')) throw OUTSIDE;
    this.valueEnd = end;
    return resolvePlain(raw);
  }

  /** After an inline value: nothing but a comment on the rest of the line. */
  private endScalarLine(): void {
    if (this.valueEnd < 0) return;
    const text = this.text;
    let at = this.valueEnd;
    while (text.charCodeAt(at) === SPACE) at++;
    const c = text.charCodeAt(at);
    if (!(at >= this.end || c === NEWLINE || (c === HASH && text.charCodeAt(at - 1) === SPACE))) throw OUTSIDE;
    // A more indented next line (a multi-line plain scalar) is refused by the enclosing mapping or sequence.
    this.advanceLine();
  }

  /** A flow sequence of scalars on one line, `["get", "list"]` (Helm charts write RBAC verbs so). */
  private flowSequence(at: number): unknown[] {
    const text = this.text;
    const lineEnd = this.lineEndOf(at);
    const items: unknown[] = [];
    let i = at + 1;
    while (text.charCodeAt(i) === SPACE) i++;
    if (text.charCodeAt(i) === 93) {
      this.valueEnd = i + 1;
      return items;
    }
    for (;;) {
      const c = text.charCodeAt(i);
      let itemEnd: number;
      if (c === 34 || c === 39) {
        const close = this.quoteEnd(i);
        if (close < 0) throw OUTSIDE;
        items.push(this.quoted(i, close));
        itemEnd = close + 1;
      } else {
        if (!startsPlain(text, i)) throw OUTSIDE;
        itemEnd = i;
        while (itemEnd < lineEnd && !FLOW_PLAIN_END.has(text.charCodeAt(itemEnd))) itemEnd++;
        const raw = text.slice(i, itemEnd).trimEnd();
        if (raw.includes(': ') || raw.includes(' #') || raw.endsWith(':') || raw.includes('\t')) throw OUTSIDE;
        items.push(resolvePlain(raw));
      }
      i = itemEnd;
      while (text.charCodeAt(i) === SPACE) i++;
      const sep = text.charCodeAt(i);
      if (sep === 93) {
        this.valueEnd = i + 1;
        return items;
      }
      if (sep !== 44) throw OUTSIDE;
      i++;
      while (text.charCodeAt(i) === SPACE) i++;
    }
  }

  /** The offset of the quote closing the single-line quoted scalar opened at `at`, or -1. */
  private quoteEnd(at: number): number {
    const quoted = this.text.charCodeAt(at) === 34 ? DOUBLE_QUOTED : SINGLE_QUOTED;
    quoted.lastIndex = at;
    // Neither crosses a newline: the scalar must close on its own line.
    return quoted.exec(this.text) === null ? -1 : quoted.lastIndex - 1;
  }

  private quoted(at: number, close: number): string {
    const body = this.text.slice(at + 1, close);
    if (this.text.charCodeAt(at) === 39) return body.includes("''") ? body.replace(/''/g, "'") : body;
    return body.includes('\\') ? unescapeDoubleQuoted(body) : body;
  }

  /**
   * A `|` literal or `>` folded block scalar (header at `at`), its lines indented more than
   * `parentIndent`. A folded one is read only when its lines simply join with spaces (no blank
   * or more-indented line inside), as Helm charts write long CEL expressions.
   */
  private blockScalar(at: number, parentIndent: number): string {
    const text = this.text;
    const headerEnd = this.lineEndOf(at);
    // An indentation indicator (`|2`) is left to the full parser.
    const header = /^([|>])([+-]?)(?:[ ]+#.*)?$/.exec(text.slice(at, headerEnd).trimEnd());
    if (!header) throw OUTSIDE;
    const folded = header[1] === '>';
    const chomp = header[2];
    this.advanceLine();
    let contentIndent = -1;
    const lines: string[] = [];
    let maxBlankIndent = 0;
    while (this.pos < this.end) {
      const lineEnd = this.lineEndOf(this.pos);
      const i = skipSpaces(text, this.pos);
      const spaces = i - this.pos;
      if (i >= lineEnd) {
        // A blank line: part of the scalar, unless the scalar has ended (decided by the next non-blank line).
        maxBlankIndent = Math.max(maxBlankIndent, spaces);
        lines.push('');
        this.advanceLine();
        continue;
      }
      if (contentIndent < 0) {
        if (spaces <= parentIndent) break;
        contentIndent = spaces;
        if (maxBlankIndent > contentIndent) throw OUTSIDE;
      }
      if (spaces < contentIndent) break;
      if (maxBlankIndent > contentIndent) throw OUTSIDE;
      lines.push(text.slice(this.pos + contentIndent, lineEnd));
      this.advanceLine();
    }
    // Trailing blank lines belong to the chomping, not the content.
    let trailing = 0;
    while (trailing < lines.length && lines[lines.length - 1 - trailing] === '') trailing++;
    const content = lines.slice(0, lines.length - trailing);
    if (content.length === 0) throw OUTSIDE;
    if (maxBlankIndent > contentIndent) throw OUTSIDE;
    if (folded && content.some(line => line === '' || line.charCodeAt(0) === SPACE || line.charCodeAt(0) === 9)) throw OUTSIDE;
    const body = content.join(folded ? ' ' : '\n');
    if (chomp === '-') return body;
    if (chomp === '+') return `${body}\n${'\n'.repeat(trailing)}`;
    return `${body}\n`;
  }
}

/** Characters that end a plain scalar in a flow sequence. */
const FLOW_PLAIN_END = new Set(',[]{}\n'.split('').map(c => c.charCodeAt(0)));

/** Whether a plain scalar may start at `at`: not an indicator, except `-`, `?` and `:` followed by a non-space. */
function startsPlain(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  if (c === DASH || c === COLON || c === 63) return !isBlankOrEnd(text.charCodeAt(at + 1));
  return !INDICATORS.has(c) && !Number.isNaN(c);
}

/** Where a ` #` comment starts between `from` and `to` (its `#` at `from` or after), or `to`. */
function commentStart(text: string, from: number, to: number): number {
  const start = Math.max(from - 1, 0);
  const at = text.slice(start, to).indexOf(' #');
  return at < 0 ? to : start + at;
}

/** The first offset from `at` that is not a space. */
function skipSpaces(text: string, at: number): number {
  NOT_SPACE.lastIndex = at;
  return NOT_SPACE.test(text) ? NOT_SPACE.lastIndex - 1 : text.length;
}

const NOT_SPACE = /[^ ]/g;
/** A line that is `---` (alone or before a space or comment), or starts with `...` or `%`: after a newline (YAML breaks no line at U+2028), or first. */
const DOCUMENT_BOUNDARY = /\n(?:---(?=[\x00-\x20]|$)|\.\.\.|%)/g;
const FIRST_LINE_BOUNDARY = /^(?:---(?=[\x00-\x20]|$)|\.\.\.|%)/;
/** A double-quoted scalar on one line (escapes skipped), and a single-quoted one (`''` is a quote). */
const DOUBLE_QUOTED = /"(?:[^"\\\n]|\\[^\n])*"/y;
const SINGLE_QUOTED = /'(?:[^'\n]|'')*'(?!')/y;

function isBlankOrEnd(c: number): boolean {
  return c === SPACE || c === NEWLINE || Number.isNaN(c);
}

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar by the YAML 1.2 core schema, in the `yaml` package's order and with its conversions. */
export function resolvePlain(raw: string): unknown {
  const c = raw.charCodeAt(0);
  // Words: only null and the booleans (at most 5 letters) are not strings.
  if (c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70) {
    if (raw.length > 5) return raw;
    if (NULL.test(raw)) return null;
    return BOOL.test(raw) ? c === 116 || c === 84 : raw;
  }
  // Only these can start a null or a number; everything else is a string.
  if (!(raw === '' || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 126)) return raw;
  if (NULL.test(raw)) return null;
  if (INT_OCT.test(raw)) return parseInt(raw.substring(2), 8);
  if (INT.test(raw)) return parseInt(raw, 10);
  if (INT_HEX.test(raw)) return parseInt(raw.substring(2), 16);
  if (FLOAT_NAN.test(raw)) return raw.slice(-3).toLowerCase() === 'nan' ? NaN : raw[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP.test(raw) || FLOAT.test(raw)) return parseFloat(raw);
  return raw;
}

const ESCAPES = new Map(Object.entries({ '0': '\0', 'a': '\x07', 'b': '\b', 'e': '\x1b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v', '"': '"', '/': '/', '\\': '\\' }));

/** The escapes of a single-line double-quoted scalar; others (line folding, `\N`, `\_`...) are left to the full parser. */
function unescapeDoubleQuoted(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, e: string) => {
    if (e.length > 1) {
      const code = parseInt(e.slice(1), 16);
      // Past Unicode's last code point (`\UFFFFFFFF`): the yaml package says what it makes of it.
      if (code > 0x10ffff) throw OUTSIDE;
      return String.fromCodePoint(code);
    }
    const out = ESCAPES.get(e);
    if (out === undefined) throw OUTSIDE;
    return out;
  });
}
