import * as fs from 'fs';
import * as path from 'path';

/**
 * The file, in an output directory, listing what `writeOwnedFiles` wrote there: the next call
 * removes the files on it that it no longer writes (another target's, once the target changes).
 */
export const OWNED_FILES_LIST = '.cdk8s-dra-files';

const LIST_HEADER = '# Written by cdk8s-dra DraTunedControlPlane.writeFiles: the files it owns here, removed when it stops writing them.\n';

/**
 * Writes `files` (keyed by path relative to `dir`) under `dir`, removes the files the previous
 * call listed and this one does not write (and the folders that leaves empty), and lists what
 * it wrote. Files it never wrote are left alone. Returns the paths written, sorted.
 */
export function writeOwnedFiles(dir: string, files: { [relativePath: string]: string }): string[] {
  const current = Object.keys(files).sort((a, b) => a.localeCompare(b));
  for (const stale of previouslyOwned(dir).filter(p => !current.includes(p))) {
    removeWithEmptyFolders(dir, stale);
  }
  const written = current.map(relativePath => {
    const file = path.join(dir, relativePath);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, files[relativePath]);
    return file;
  });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, OWNED_FILES_LIST), LIST_HEADER + current.map(p => `${p}\n`).join(''));
  return written;
}

/** The relative paths the list in `dir` names, keeping only those inside `dir`. */
function previouslyOwned(dir: string): string[] {
  const list = path.join(dir, OWNED_FILES_LIST);
  if (!fs.existsSync(list)) {
    return [];
  }
  return fs.readFileSync(list, 'utf-8').split('\n')
    .filter(line => line !== '' && !line.startsWith('#'))
    .filter(relativePath => isInside(dir, path.join(dir, relativePath)));
}

function removeWithEmptyFolders(dir: string, relativePath: string): void {
  fs.rmSync(path.join(dir, relativePath), { force: true });
  const root = path.resolve(dir);
  for (let folder = path.dirname(path.resolve(dir, relativePath)); isInside(root, folder); folder = path.dirname(folder)) {
    if (!fs.existsSync(folder) || fs.readdirSync(folder).length > 0) {
      return;
    }
    fs.rmdirSync(folder);
  }
}

/** Whether `target` is strictly below `dir`. */
function isInside(dir: string, target: string): boolean {
  const relative = path.relative(path.resolve(dir), path.resolve(target));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
