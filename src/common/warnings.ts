import { IConstruct } from 'constructs';

const said = new WeakMap<IConstruct, Set<string>>();

/**
 * The library's one way to say something at synthesis without failing it (input it accepts
 * but doubts, checks it could not run): `console.warn`, so it reaches stderr, and tests can
 * capture it (test/support/quiet-environment.js shows it only for a failed test).
 *
 * Once per construct and text: cdk8s 2.70 runs an app's validations again for each chart it
 * writes, and a warning said once per synthesis is enough.
 */
export function warn(scope: IConstruct, text: string): void {
  const texts = said.get(scope) ?? new Set<string>();
  said.set(scope, texts);
  if (texts.has(text)) return;
  texts.add(text);
  console.warn(text);
}
