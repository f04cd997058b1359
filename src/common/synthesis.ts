import { App } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * One `synth()` or `synthYaml()` of an app, while it runs.
 *
 * cdk8s 2.70 validates the whole app again for each chart it renders (`Chart.toJson`), so
 * one synthesis of two charts ran every validation three times. Nothing can change while
 * the app synthesizes (no user code runs), so what a validation computes from the app can be
 * computed once per synthesis.
 */
export interface Synthesis {
  /** Values computed during this synthesis, by key. */
  readonly memo: Map<unknown, unknown>;
  /** Run when the synthesis ends, in order, also when it fails. */
  readonly onEnd: Array<() => void>;
}

const CURRENT = Symbol.for('cdk8s-dra.synthesis');
type Tracked = App & { [CURRENT]?: Synthesis | null };

/** The synthesis of the app `scope` is in running now, or undefined (outside synthesis, or not in an App). */
export function currentSynthesis(scope: IConstruct): Synthesis | undefined {
  return (scope.node.root as Tracked)[CURRENT] ?? undefined;
}

/**
 * Marks each synthesis of the app `scope` is in (once per app; nothing when it is not in an
 * App), so that `currentSynthesis` and `oncePerSynthesis` know it.
 */
export function trackSynthesis(scope: IConstruct): void {
  const app = scope.node.root as Tracked;
  if (!(app instanceof App) || app[CURRENT] !== undefined) return;
  app[CURRENT] = null;
  const wrap = <T>(run: () => T): T => {
    // A synthesis inside a synthesis is part of it.
    if (app[CURRENT]) return run();
    const synthesis: Synthesis = { memo: new Map(), onEnd: [] };
    app[CURRENT] = synthesis;
    try {
      return run();
    } finally {
      app[CURRENT] = null;
      for (const end of synthesis.onEnd) end();
    }
  };
  const synth = app.synth.bind(app);
  const synthYaml = app.synthYaml.bind(app);
  app.synth = () => wrap(synth);
  app.synthYaml = () => wrap(synthYaml);
}

/** `compute()`, once per synthesis of the app `scope` is in (keyed by `key`); outside synthesis, each time. */
export function oncePerSynthesis<T>(scope: IConstruct, key: unknown, compute: () => T): T {
  const synthesis = currentSynthesis(scope);
  if (synthesis === undefined) return compute();
  if (!synthesis.memo.has(key)) synthesis.memo.set(key, compute());
  return synthesis.memo.get(key) as T;
}
