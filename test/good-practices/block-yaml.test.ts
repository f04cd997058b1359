// The block-YAML scanner must read exactly what the yaml package reads, or hand the text over
// to it: compared on the vendor renderings in ../shared/fixtures, the examples' synthesized
// YAML, generated documents, and damaged copies of them.
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { Composer, LineCounter, Parser, stringify } from 'yaml';
import { readBlockDocuments } from '../../src/good-practices/inputs/block-yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.resolve(ROOT, '..', 'shared', 'fixtures');

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : yamlFiles(full);
    return /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

/** What the yaml package reads, as the reader uses it: each document's value and the line its content starts on; undefined on an error. */
function packageDocuments(text: string): Array<{ value: unknown; line?: number }> | undefined {
  const lines = new LineCounter();
  const out: Array<{ value: unknown; line?: number }> = [];
  for (const doc of new Composer().compose(new Parser(lines.addNewLine).parse(text), true)) {
    if (doc.errors.length > 0) return undefined;
    const value = doc.toJS({ maxAliasCount: 1000 }) ?? undefined;
    out.push(value === undefined ? { value } : { value, line: lines.linePos(doc.contents?.range?.[0] ?? doc.range[0]).line });
  }
  return out;
}

function scannedDocuments(text: string): Array<{ value: unknown; line?: number }> | undefined {
  return readBlockDocuments(text)?.map(doc => (doc.value === undefined || doc.value === null
    ? { value: undefined }
    : { value: doc.value, line: doc.line }));
}

let scannedTexts = 0;
/** Documents that hold nothing are the same either way (the reader skips them), so compare those with content. */
const sameAsPackage = (text: string) => {
  const scanned = scannedDocuments(text);
  if (scanned === undefined) return;
  scannedTexts++;
  const expected = packageDocuments(text);
  // Text the package refuses is never read by the scanner: the package's error message is the one reported.
  expect(expected).toBeDefined();
  expect(scanned).toStrictEqual(expected!.map(d => (d.value === null ? { value: undefined } : d)));
};

const manifests = [...yamlFiles(FIXTURES), ...yamlFiles(path.join(ROOT, 'examples')).filter(f => f.includes(`${path.sep}dist${path.sep}`))];

describe('the block-YAML scanner', () => {
  test.each(manifests.map(f => [path.relative(ROOT, f), f]))('reads %s as the yaml package does', (_, file) => {
    const text = fs.readFileSync(file, 'utf-8');
    expect(readBlockDocuments(text)).toBeDefined();
    sameAsPackage(text);
  });

  test('reads generated documents as the yaml package does (cdk8s writes them with lineWidth 0)', () => {
    scannedTexts = 0;
    const key = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('apiVersion', 'kind', 'true', '1', 'null', 'a: b', '- x', '#c', 'x #y'));
    const scalar = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('', ' ', 'a\nb', 'a\n\nb\n', 'x\n', '  indented\nline', 'tail  ', '0x1F', '0o17', '1e3', '.5', '-.inf', '.NaN', 'True', 'NULL', '~', '"q"', "'q'", ':8080', '-1', '- a', '? x', 'a: b', 'a #b', '[a]', '{}', '|', '>', '*x', '&y', '!t', '%p', '@a', '`b'),
      fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
    );
    const value = fc.letrec(tie => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
      list: fc.array(tie('node'), { maxLength: 4 }),
      map: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
    })).node;
    fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 3 }), (docs, style) => {
      const options = [{ lineWidth: 0 }, {}, { lineWidth: 0, indentSeq: false }, { lineWidth: 20, minContentWidth: 5 }][style];
      sameAsPackage(docs.map(doc => stringify(doc, options)).join('---\n'));
    }), { numRuns: 400 });
    // Most of them are in the subset: the comparison is not vacuous.
    expect(scannedTexts).toBeGreaterThan(120);
  });

  test('damaged manifests are read as the yaml package does, or left to it', () => {
    scannedTexts = 0;
    const texts = manifests.map(f => fs.readFileSync(f, 'utf-8')).filter(t => t.length < 40_000);
    const pieces = [' ', '  ', '\n', '\n  ', '-', '- ', ':', ': ', '#', ' #', '"', "'", '|', '|-', '>', '>-', '[', ']', '{', '}', ',', '&a ', '*a', '!x ', '---\n', '...\n', '\t', '\\', '? '];
    const edit = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...pieces), fc.nat(3));
    fc.assert(fc.property(fc.integer({ min: 0, max: texts.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 3 }), (which, edits) => {
      let text = texts[which];
      for (const [where, piece, cut] of edits) {
        const at = Math.floor(where * text.length);
        text = text.slice(0, at) + piece + text.slice(at + cut);
      }
      sameAsPackage(text);
    }), { numRuns: 1500 });
    expect(scannedTexts).toBeGreaterThan(250);
  });

  test.each([
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a flow mapping', 'a: {b: 1}\n'],
    ['a nested flow sequence', 'a: [[1]]\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['a folded scalar with a blank line', 'a: >\n  one\n\n  two\n'],
    ['an indentation indicator', 'a: |2\n   x\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a non-string key', '1: a\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['CRLF line ends', 'a: 1\r\nb: 2\r\n'],
    ['a tab in the indentation', 'a:\n\tb: 1\n'],
    ['a compact nested sequence', '- - a\n'],
    ['a key with a mapping on its line', 'a: b: c\n'],
    ['content on a --- line', 'a: 1\n--- b\n'],
    ['an escape past the last Unicode code point', 'a: "\\UFFFFFFFF"\n'],
  ])('leaves %s to the yaml package', (_, text) => {
    expect(readBlockDocuments(text)).toBeUndefined();
  });

  test('numbers each document and the line its content starts on, as the reader reports them', () => {
    const text = '# prologue\n---\n# comment\napiVersion: v1\nkind: A\n---\n---\n\n- 1\n- [a, "b", \'c\']\n';
    expect(readBlockDocuments(text)).toStrictEqual([
      { value: { apiVersion: 'v1', kind: 'A' }, line: 4 },
      { value: undefined, line: 7 },
      { value: [1, ['a', 'b', 'c']], line: 9 },
    ]);
    sameAsPackage(text);
  });

  test('nesting deeper than a manifest is left to the yaml package (and the reader\'s depth limit)', () => {
    const deep = Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    expect(readBlockDocuments(deep)).toBeUndefined();
  });
});
