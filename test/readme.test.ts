// The README is the user guide: what it states about the code must stay true.
import * as fs from 'fs';
import * as path from 'path';
import { rulesTable, sizingTable } from '../scripts/readme-tables';

const root = path.resolve(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf-8');

describe('README.md', () => {
  test('opens with the main job and the test command, and CI runs that test command verbatim', () => {
    const commands = /^```sh\n(.*)\n(.*)\n```/m.exec(readme);
    expect(commands).not.toBeNull();
    const [, mainJob, testCommand] = commands!.map(line => line.split('#')[0].trim());
    expect(mainJob).toBe('npm ci && npm run synth:examples');
    expect(testCommand).toBe('npm ci && npm test');
    const ci = fs.readFileSync(path.join(root, '.ci', 'run'), 'utf-8');
    expect(ci.split('\n')).toContain(testCommand);
  });

  const section = (name: string) => new RegExp(`<!-- ${name}:begin -->\n([\\s\\S]*?)<!-- ${name}:end -->`).exec(readme)?.[1];

  test('the sizing table is the model\'s output (npm run readme)', () => {
    expect(section('sizing-table')).toBe(sizingTable());
  });

  test('the rules table is every rule\'s id, severity, what, why and fix, from the code (npm run readme)', () => {
    expect(section('rules-table')).toBe(rulesTable());
    expect(section('rules-table')).toContain('| DRA011 | warning |');
  });

  test('every relative link points at a file that exists', () => {
    const links = [...readme.matchAll(/\]\(((?!https?:)[^)#]+)(#[^)]*)?\)/g)].map(m => m[1]);
    expect(links.length).toBeGreaterThan(5);
    expect(links.filter(link => !fs.existsSync(path.join(root, link)))).toEqual([]);
  });
});
