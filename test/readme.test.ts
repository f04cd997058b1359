// The README is the user guide: what it states about the code must stay true.
import * as fs from 'fs';
import * as path from 'path';
import { DraGoodPractices } from '../src';
import { DOCS_TABLE_SCALES, sizingTable } from './control-plane/sizing-table';

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

  test('the sizing table is the model\'s output', () => {
    const match = /<!-- sizing-table:begin -->\n([\s\S]*?)<!-- sizing-table:end -->/.exec(readme);
    expect(match?.[1]).toBe(sizingTable(DOCS_TABLE_SCALES));
  });

  test('the rules table lists every rule once, with its severity', () => {
    const rows = [...readme.matchAll(/^\| (DRA\d{3}) \| (\w+) \|/gm)].map(m => `${m[1]} ${m[2]}`);
    expect(rows).toEqual(DraGoodPractices.rules().map(rule => `${rule.id} ${rule.severity}`));
  });

  test('every relative link points at a file that exists', () => {
    const links = [...readme.matchAll(/\]\(((?!https?:)[^)#]+)(#[^)]*)?\)/g)].map(m => m[1]);
    expect(links.length).toBeGreaterThan(5);
    expect(links.filter(link => !fs.existsSync(path.join(root, link)))).toEqual([]);
  });
});
