// Releases: `npm run release` bumps the version from the commit history (conventional commits:
// fix -> patch, feat -> minor, below 1.0 a patch too), writes dist/changelog.md, builds, then puts the version back;
// nothing is published or pushed. Its bump and unbump run here on a scratch repository with
// this project's tasks and package.json, so the test needs no tags or tokens of the real one.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..');
const TASKS = JSON.parse(fs.readFileSync(path.join(REPO, '.projen', 'tasks.json'), 'utf-8')).tasks;

describe('the release tasks', () => {
  let dir: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf-8' });
  const projen = (task: string) => execFileSync('npx', ['projen', task], { cwd: dir, encoding: 'utf-8', stdio: 'pipe' });
  const version = () => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf-8')).version;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-dra-release-'));
    fs.mkdirSync(path.join(dir, '.projen'));
    fs.copyFileSync(path.join(REPO, '.projen', 'tasks.json'), path.join(dir, '.projen', 'tasks.json'));
    fs.copyFileSync(path.join(REPO, 'package.json'), path.join(dir, 'package.json'));
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
    fs.writeFileSync(path.join(dir, '.gitignore'), '/node_modules\n/dist/\n');
    git('init', '--quiet', '--initial-branch=main');
    git('config', 'user.email', 'release-test@example.com');
    git('config', 'user.name', 'release test');
    git('add', '.');
    git('commit', '--quiet', '-m', 'chore: the project');
    git('tag', 'v0.1.0');
    git('commit', '--quiet', '--allow-empty', '-m', 'feat: unknown props are refused with the nearest known name');
    git('commit', '--quiet', '--allow-empty', '-m', 'fix: a passing test run prints no warnings');
  }, 60_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('release is bump, build, unbump and a check that nothing changed; it publishes nothing', () => {
    expect(TASKS.release.steps).toEqual([
      { execArgs: ['rm', '-fr', 'dist'] }, { spawn: 'bump' }, { spawn: 'build' }, { spawn: 'unbump' }, { exec: 'git diff --ignore-space-at-eol --exit-code' },
    ]);
    expect(JSON.stringify(TASKS.build)).not.toMatch(/publish/);
    expect(TASKS.publish.steps.map((s: { spawn?: string }) => s.spawn)).toEqual(['publish:npm', 'publish:pypi', undefined]);
  });

  test('bump writes the next version and a changelog from the commits since the last tag; unbump puts the version back', () => {
    projen('bump');
    expect(fs.readFileSync(path.join(dir, 'dist', 'version.txt'), 'utf-8')).toBe('0.1.1');
    expect(fs.readFileSync(path.join(dir, 'dist', 'releasetag.txt'), 'utf-8')).toBe('v0.1.1');
    expect(version()).toBe('0.1.1');
    const changelog = fs.readFileSync(path.join(dir, 'dist', 'changelog.md'), 'utf-8');
    expect(changelog.trimStart()).toMatch(/^## \[0\.1\.1\]\(https:\/\/github.com\/maintainers\/cdk8s-dra\/compare\/v0\.1\.0\.\.\.v0\.1\.1\)/);
    expect(changelog).toMatch(/### Features\s+\* unknown props are refused with the nearest known name/);
    expect(changelog).toMatch(/### Bug Fixes\s+\* a passing test run prints no warnings/);
    // Nothing committed, tagged or pushed.
    expect(git('tag', '--list')).toBe('v0.1.0\n');
    expect(git('log', '--format=%s', '-1')).toBe('fix: a passing test run prints no warnings\n');

    projen('unbump');
    expect(version()).toBe('0.0.0');
    expect(git('status', '--porcelain')).toBe('');
  }, 120_000);
});
