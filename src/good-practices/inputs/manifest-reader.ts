import * as fs from 'fs';
import * as path from 'path';
import type { Document, LineCounter } from 'yaml';
import { readBlockDocuments } from './block-yaml';
import { nodeConfigType } from './node-config';
import { yamlPackage } from '../../common/lazy-packages';
import { referenceOf } from '../engine/checker';
import { SourcedObject } from '../engine/object-index';

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Objects read from files, what could not be read, and what was skipped. */
export interface ReadManifests {
  readonly objects: SourcedObject[];
  readonly errors: string[];
  /** Valid YAML documents that are neither Kubernetes objects nor node configs (e.g. Helm values). */
  readonly skipped: string[];
  /** Files without a document, and directories without a manifest file. */
  readonly empty: string[];
}

type Found = { objects: SourcedObject[]; errors: string[]; skipped: string[]; empty: string[] };

/** The files that make a directory a Kustomize overlay: its YAML is input to kustomize, not manifests. */
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * Reads multi-document YAML (or JSON) files, and every `.yaml`/`.yml`/`.json` file under
 * directories (recursively, in name order). A file or document that cannot be read is
 * reported with its document number and line, and the others are still read. Node configs
 * that set control-plane flags (k3s/RKE2 `config.yaml` and drop-ins, Talos machine configs)
 * are read too; other documents that are not Kubernetes objects (no apiVersion and kind)
 * are skipped and listed. `List`
 * objects (`kubectl get -o yaml`) are expanded to their items, nested Lists too. A
 * kustomization directory is refused (its output, not its sources, is what is applied);
 * YAML alias bombs, aliases across documents and documents nested beyond any manifest are
 * input errors of their file, and the other files are still read.
 */
export function readManifests(paths: string[]): ReadManifests {
  const found: Found = { objects: [], errors: [], skipped: [], empty: [] };
  // Path by path, so errors come in the order the inputs were given.
  for (const p of paths) {
    for (const file of expandPath(p, found)) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf-8');
      } catch (e) {
        found.errors.push(`${file}: cannot read file (${errorCode(e)})`);
        continue;
      }
      readDocuments(file, text, found);
    }
  }
  return found;
}

function expandPath(p: string, found: Found): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch (e) {
    found.errors.push(`${p}: cannot read (${errorCode(e)})`);
    return [];
  }
  if (KUSTOMIZATION_FILES.includes(path.basename(p))) {
    found.errors.push(`${p}: a kustomization, not manifests: run \`kustomize build ${path.dirname(p)}\` (or kubectl kustomize) first and check its output`);
    return [];
  }
  if (!stat.isDirectory()) {
    return [p];
  }
  const files = walk(p, found);
  if (files.length === 0 && !found.errors.some(e => e.startsWith(p))) {
    found.empty.push(`${p}: no .yaml, .yml or .json files in this directory`);
  }
  return files;
}

function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

function walk(dir: string, found: Found): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    found.errors.push(`${dir}: cannot read directory (${errorCode(e)})`);
    return [];
  }
  const kustomization = entries.find(entry => KUSTOMIZATION_FILES.includes(entry.name));
  if (kustomization !== undefined) {
    found.errors.push(`${dir}: a kustomization directory (${kustomization.name}): run \`kustomize build ${dir}\` (or kubectl kustomize) first and check its output`);
    return [];
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      files.push(...walk(full, found));
    } else if (MANIFEST_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) {
      files.push(full);
    }
  }
  return files;
}

/** Deeper than this, a document is refused: no Kubernetes object nests so far, and walking it could exhaust the stack. */
const MAX_DEPTH = 256;
/** Alias expansions weighted by size (the yaml library's measure): refuses "billion laughs" documents. */
const MAX_ALIAS_COUNT = 1000;

function readDocuments(file: string, text: string, found: Found): void {
  // Most manifests are plain block YAML, which the scanner reads without the full parser's syntax tree.
  const block = readBlockDocuments(text);
  if (block !== undefined) {
    let anyContent = false;
    block.forEach((doc, i) => {
      if (doc.value === undefined || doc.value === null) return;
      anyContent = true;
      addItems(file, i + 1, doc.line, doc.value, found);
    });
    if (!anyContent) found.empty.push(`${file}: no documents (the file is empty or holds only comments)`);
    return;
  }
  const { Composer, LineCounter: Lines, Parser } = yamlPackage();
  const lineCounter = new Lines();
  const composer = new Composer();
  let index = 0;
  let anyContent = false;
  try {
    // One document at a time: only the current one's syntax tree is held, so memory follows the largest document.
    for (const doc of composer.compose(new Parser(lineCounter.addNewLine).parse(text), true)) {
      index += 1;
      anyContent = readDocument(file, index, doc, lineCounter, found) || anyContent;
    }
  } catch (e) {
    found.errors.push(`${file}: document ${index + 1}: cannot be read (${readError(e)})`);
    return;
  }
  if (!anyContent) {
    found.empty.push(`${file}: no documents (the file is empty or holds only comments)`);
  }
}

/** Reads one document; true when it held anything (even something refused). */
function readDocument(file: string, index: number, doc: Document.Parsed, lineCounter: LineCounter, found: Found): boolean {
  const docLine = lineCounter.linePos(doc.contents?.range?.[0] ?? doc.range[0]).line;
  const where = `${file}: document ${index} (line ${docLine})`;
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const at = lineCounter.linePos(error.pos[0]);
    const message = `${firstLine(error.message)} at line ${at.line}, column ${at.col}`;
    found.errors.push(`${file}: document ${index}: invalid YAML: ${/call stack/i.test(message) ? `nested too deeply to read (more than ${MAX_DEPTH} levels)` : message}`);
    return true;
  }
  let value: unknown;
  try {
    // A copy: the parser's strings keep large parts of its input alive, and memory must follow the objects, not the text.
    value = structuredClone(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
  } catch (e) {
    found.errors.push(`${where}: cannot be read (${readError(e)})`);
    return true;
  }
  if (value === null || value === undefined) return false;
  if (depthOf(value) > MAX_DEPTH) {
    found.errors.push(`${where}: nested more than ${MAX_DEPTH} levels deep: not a Kubernetes object`);
    return true;
  }
  addItems(file, index, docLine, value, found);
  return true;
}

/** The objects of a document's value: itself, or the items of a List or array. */
function addItems(file: string, index: number, docLine: number, value: unknown, found: Found): void {
  const where = `${file}: document ${index} (line ${docLine})`;
  const location = `${file}:${docLine}`;
  // A JSON array of objects (cdk8s' Testing.synth output), a List (its items may be Lists too), or one object.
  const single = !Array.isArray(value) && !isList(value);
  const items = single ? [{ item: value, path: '' }] : listItems(value, '');
  for (const { item, path: itemPath } of items) {
    const itemWhere = single ? where : `${where}, item ${itemPath}`;
    if (!isObject(item) && nodeConfigType(item) === undefined) {
      found.skipped.push(`${itemWhere}: not a Kubernetes object (no apiVersion and kind): skipped`);
      continue;
    }
    found.objects.push({ object: item, ref: referenceOf(item, location), where: itemWhere });
  }
}

/** The items of an array or a List, with Lists inside expanded too; `path` numbers them `2.1`. */
function listItems(value: any, prefix: string): Array<{ item: unknown; path: string }> {
  const items: unknown[] = Array.isArray(value) ? value : value.items;
  return items.flatMap((item, i) => {
    const itemPath = `${prefix}${i + 1}`;
    return isList(item) ? listItems(item, `${itemPath}.`) : [{ item, path: itemPath }];
  });
}

/** How deeply a value nests, measured without recursion (a hostile document could be deeper than the stack). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_DEPTH) return deepest;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

function readError(e: unknown): string {
  if (e instanceof RangeError) return `nested too deeply to read (more than ${MAX_DEPTH} levels)`;
  if (e instanceof Error && /alias count/i.test(e.message)) return 'YAML aliases expand beyond any manifest (an alias bomb)';
  if (e instanceof Error && /alias/i.test(e.message)) return `${e.message}; an alias cannot refer to an anchor of another document`;
  return e instanceof Error ? e.message : String(e);
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
