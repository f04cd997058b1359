import { execFileSync } from 'child_process';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';

const VALIDATOR = path.join(__dirname, 'validate-objects.mjs');

/** What the official schema says about one object. */
export interface ObjectValidation {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name?: string;
  readonly errors: string[];
}

/**
 * A validator for a kind that has no official OpenAPI schema in kubernetes-models (for
 * example kubeadm's ClusterConfiguration). Returns the list of problems, empty when valid.
 * Register one only with a real check behind it: an unregistered unknown kind fails.
 */
export type KindValidator = (obj: any) => string[];

const extraValidators = new Map<string, KindValidator>();

/** Registers a validator for `apiVersion` + `kind` that kubernetes-models cannot check. */
export function registerKindValidator(apiVersion: string, kind: string, validator: KindValidator): void {
  extraValidators.set(`${apiVersion}/${kind}`, validator);
}

/**
 * Validates each object against the official schema: kubernetes-models 5.x for Kubernetes
 * kinds, @kubernetes-models/prometheus-operator for monitoring.coreos.com. Both are
 * ESM-only, so they run in a child Node process that jest's CommonJS runtime does not touch.
 */
export function validateObjects(objects: any[]): ObjectValidation[] {
  const viaModels: Array<{ index: number; obj: any }> = [];
  const results: ObjectValidation[] = new Array(objects.length);
  objects.forEach((obj, index) => {
    const extra = extraValidators.get(`${obj?.apiVersion}/${obj?.kind}`);
    if (extra) {
      results[index] = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata?.name, errors: extra(obj) };
    } else {
      viaModels.push({ index, obj });
    }
  });
  if (viaModels.length > 0) {
    const out = execFileSync(process.execPath, [VALIDATOR], {
      input: JSON.stringify(viaModels.map(v => v.obj)),
      maxBuffer: 256 * 1024 * 1024,
      cwd: path.resolve(__dirname, '..', '..'),
    });
    const validated: ObjectValidation[] = JSON.parse(out.toString('utf-8'));
    validated.forEach((v, i) => { results[viaModels[i].index] = v; });
  }
  return results;
}

/** Throws with every problem listed when any object fails its schema. */
export function expectValidObjects(objects: any[]): void {
  const problems = validateObjects(objects)
    .filter(r => r.errors.length > 0)
    .map(r => `${r.apiVersion} ${r.kind} ${r.name ?? '<unnamed>'}:\n  ${r.errors.join('\n  ')}`);
  if (problems.length > 0) {
    throw new Error(`objects failed official-schema validation:\n${problems.join('\n')}`);
  }
}

/**
 * Synthesizes a chart and validates every object against the official schema.
 * Every construct test goes through here, so nothing reaches a snapshot unchecked.
 */
export function synthValid(chart: Chart): any[] {
  const objects = Testing.synth(chart);
  expectValidObjects(objects);
  return objects;
}

/** A fresh chart in a fresh test app. */
export function testChart(id = 'test'): Chart {
  return new Chart(Testing.app(), id);
}

/** The one object of `kind` (and `name`, when given); fails when there is not exactly one. */
export function findObject(objects: any[], kind: string, name?: string): any {
  const found = objects.filter(o => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${kind}${name ? ` named ${name}` : ''}, found ${found.length}`);
  }
  return found[0];
}

/** Every object of `kind`. */
export function findObjects(objects: any[], kind: string): any[] {
  return objects.filter(o => o.kind === kind);
}
