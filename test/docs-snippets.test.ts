// Each docs/*.md page reads as one program: its TypeScript snippets in order, their imports
// gathered at the top, must type-check against the library. So no snippet uses a name that
// neither it nor an earlier snippet on the page defines.
import * as fs from 'fs';
import * as path from 'path';
import { typeCheckPrograms } from './support/type-check';

const root = path.resolve(__dirname, '..');
const docsDir = path.join(root, 'docs');

/** The page's snippets (fenced ```ts, also indented in lists) as one module. */
export function pageProgram(markdown: string): string {
  const snippets = [...markdown.matchAll(/^( *)```ts\n([\s\S]*?)^\1```/gm)]
    .map(([, indent, code]) => code.replace(new RegExp(`^${indent}`, 'gm'), ''));
  const named = new Map<string, Set<string>>();
  const whole = new Set<string>();
  const bodies = snippets.map(code => code.replace(/^import (.+) from '([^']+)';\n/gm, (line: string, what: string, from: string) => {
    const names = /^\{(.*)\}$/.exec(what.trim());
    if (names) {
      const set = named.get(from) ?? new Set<string>();
      names[1].split(',').map(n => n.trim()).filter(n => n).forEach(n => set.add(n));
      named.set(from, set);
    } else {
      whole.add(line.trim());
    }
    return '';
  }));
  return [
    ...whole,
    ...[...named].map(([from, names]) => `import { ${[...names].join(', ')} } from '${from}';`),
    ...bodies,
    'export {};',
    '',
  ].join('\n');
}

describe('docs/*.md code', () => {
  const pages = fs.readdirSync(docsDir).filter(f => f.endsWith('.md')).sort();

  test('gathering a page\'s snippets keeps every statement and merges the imports', () => {
    const program = pageProgram([
      '```ts', "import { A } from 'x';", 'const a = A;', '```', 'text', '  ```ts',
      "  import * as fs from 'fs';", "  import { B } from 'x';", '  fs.readFileSync(a, B);', '  ```', '',
    ].join('\n'));
    expect(program).toBe(["import * as fs from 'fs';", "import { A, B } from 'x';", 'const a = A;\n', 'fs.readFileSync(a, B);\n', 'export {};', ''].join('\n'));
  });

  test('every page with TypeScript type-checks as one program against the library', () => {
    const programs = pages
      .map(page => [page, pageProgram(fs.readFileSync(path.join(docsDir, page), 'utf-8'))] as const)
      .filter(([, program]) => program !== 'export {};\n');
    expect(programs.map(([page]) => page)).toEqual(expect.arrayContaining(['control-plane.md', 'driver.md', 'monitoring.md', 'rbac.md']));
    expect(typeCheckPrograms('docs-snippets', programs.map(([page, program]) => [page.replace(/\.md$/, '.ts'), program] as const))).toBe('');
  });
});
