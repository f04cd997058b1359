import * as fs from 'fs';
import * as path from 'path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { referenceOf } from './checker';
import { nodeConfigType } from './node-config';
import { SourcedObject } from './object-index';

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Objects read from files, what could not be read, and what was skipped. */
export interface ReadManifests {
  readonly objects: SourcedObject[];
  readonly errors: string[];
  /** Valid YAML documents that are neither Kubernetes objects nor node configs (e.g. Helm values). */
  readonly skipped: string[];
}

/**
 * Reads multi-document YAML (or JSON) files, and every `.yaml`/`.yml`/`.json` file under
 * directories (recursively, in name order). A file or document that cannot be read is
 * reported with its document number and line, and the others are still read. Node configs
 * that set control-plane flags (k3s/RKE2 `config.yaml` and drop-ins, Talos machine configs)
 * are read too; other documents that are not Kubernetes objects (no apiVersion and kind)
 * are skipped and listed. `List`
 * objects (`kubectl get -o yaml`) are expanded to their items.
 */
export function readManifests(paths: string[]): ReadManifests {
  const objects: SourcedObject[] = [];
  const errors: string[] = [];
  const skipped: string[] = [];
  // Path by path, so errors come in the order the inputs were given.
  for (const p of paths) {
    for (const file of expandPath(p, errors)) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf-8');
      } catch (e) {
        errors.push(`${file}: cannot read file (${errorCode(e)})`);
        continue;
      }
      readDocuments(file, text, objects, errors, skipped);
    }
  }
  return { objects, errors, skipped };
}

function expandPath(p: string, errors: string[]): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch (e) {
    errors.push(`${p}: cannot read (${errorCode(e)})`);
    return [];
  }
  return stat.isDirectory() ? walk(p, errors) : [p];
}

function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

function walk(dir: string, errors: string[]): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    errors.push(`${dir}: cannot read directory (${errorCode(e)})`);
    return [];
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      files.push(...walk(full, errors));
    } else if (MANIFEST_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) {
      files.push(full);
    }
  }
  return files;
}

function readDocuments(file: string, text: string, objects: SourcedObject[], errors: string[], skipped: string[]): void {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter });
  documents.forEach((doc, i) => {
    const docLine = lineCounter.linePos(doc.contents?.range?.[0] ?? doc.range[0]).line;
    const where = `${file}: document ${i + 1} (line ${docLine})`;
    if (doc.errors.length > 0) {
      // The parser's message ends with "at line L, column C".
      errors.push(`${file}: document ${i + 1}: invalid YAML: ${firstLine(doc.errors[0].message)}`);
      return;
    }
    const value = doc.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) return;
    const location = `${file}:${docLine}`;
    // A JSON array of objects (cdk8s' Testing.synth output), a List, or one object.
    const single = !Array.isArray(value) && !isList(value);
    const items: any[] = single ? [value] : Array.isArray(value) ? value : value.items;
    items.forEach((item, j) => {
      if (!isObject(item) && nodeConfigType(item) === undefined) {
        skipped.push(`${single ? where : `${where}, item ${j + 1}`}: not a Kubernetes object (no apiVersion and kind): skipped`);
        return;
      }
      objects.push({ object: item, ref: referenceOf(item, location) });
    });
  });
}

function isObject(value: any): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string';
}

/** `kind: List` (kubectl get -o yaml) and typed lists such as `ConfigMapList`. */
function isList(value: any): boolean {
  return isObject(value) && value.kind.endsWith('List') && Array.isArray(value.items);
}

/** The parser's first line, e.g. `Flow sequence ... at line 8, column 1` (its trailing colon introduces a code excerpt). */
function firstLine(message: string): string {
  return message.split('\n')[0].replace(/:$/, '');
}
