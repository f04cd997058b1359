import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { currentSynthesis, oncePerSynthesis, trackSynthesis } from '../../src/common/synthesis';

function twoChartApp(): App {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'synthesis-')) });
  new ApiObject(new Chart(app, 'one'), 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
  new ApiObject(new Chart(app, 'two'), 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
  return app;
}

describe('what a validation computes from the app, once per synthesis', () => {
  test('cdk8s validates an app of two charts three times per synthesis; the value is computed once, each synthesis anew', () => {
    const app = twoChartApp();
    trackSynthesis(app);
    let validations = 0;
    let computed = 0;
    app.node.addValidation({
      validate: () => {
        validations += 1;
        oncePerSynthesis(app, 'key', () => (computed += 1));
        return [];
      },
    });
    app.synthYaml();
    expect(validations).toBe(3);
    expect(computed).toBe(1);
    app.synth();
    expect(computed).toBe(2);
    // Outside synthesis, each call computes.
    oncePerSynthesis(app, 'key', () => (computed += 1));
    oncePerSynthesis(app, 'key', () => (computed += 1));
    expect(computed).toBe(4);
  });

  test('the end of a synthesis runs its end actions, also when it fails, and leaves no synthesis current', () => {
    const app = twoChartApp();
    trackSynthesis(app);
    trackSynthesis(app);
    const ended: string[] = [];
    app.node.addValidation({
      validate: () => {
        const synthesis = currentSynthesis(app)!;
        if (synthesis.memo.size === 0) synthesis.onEnd.push(() => ended.push('end'));
        synthesis.memo.set('seen', true);
        return ['refused'];
      },
    });
    expect(() => app.synthYaml()).toThrow(/refused/);
    // Tracked twice, wrapped once: one synthesis, one end.
    expect(ended).toEqual(['end']);
    expect(currentSynthesis(app)).toBeUndefined();
  });

  test('a construct outside an App is never in a synthesis', () => {
    const chart = new Chart(undefined as any, 'alone');
    trackSynthesis(chart);
    expect(currentSynthesis(chart)).toBeUndefined();
  });
});
