import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { DOCS_TABLE_SCALES, sizingTable } from './sizing-table';
import { ClusterScale, ControlPlaneSizing } from '../../src';

describe('ControlPlaneSizing.recommend at the calibration points', () => {
  test("the page's scale test (100 nodes, 10 pods/s, one claim each) gets at least its 75/150 lower bound", () => {
    const r = ControlPlaneSizing.recommend({ nodes: 100, podCreationQps: 10, claimsPerPod: 1 });
    expect(r.controllerManagerQps).toBeGreaterThanOrEqual(75);
    expect(r.controllerManagerBurst).toBeGreaterThanOrEqual(150);
    // qps from the 100-node scale preset (100), burst from 2 seconds of the 70 calls/s pod-driven load
    expect([r.controllerManagerQps, r.controllerManagerBurst]).toEqual([100, 150]);
  });

  test('the pod-rate term alone reproduces the page: 70 calls/s rounds up to 75, burst 150', () => {
    // 10 nodes keep the node term out of the way; the pod-rate term is the page's load
    const r = ControlPlaneSizing.recommend({ nodes: 10, podCreationQps: 10 });
    expect([r.controllerManagerQps, r.controllerManagerBurst]).toEqual([75, 150]);
  });

  test('is above what cluster-api-provider-azure found too low at 100 nodes (50/100)', () => {
    const r = ControlPlaneSizing.recommend({ nodes: 100, podCreationQps: 10 });
    expect(r.controllerManagerQps).toBeGreaterThan(50);
    expect(r.controllerManagerBurst).toBeGreaterThan(100);
  });

  test('500 nodes land on the 500-node DRA CI preset (500/500 for both)', () => {
    const r = ControlPlaneSizing.recommend({ nodes: 500, podCreationQps: 20 });
    expect(r).toMatchObject({ controllerManagerQps: 500, controllerManagerBurst: 500, schedulerQps: 500, schedulerBurst: 500 });
  });

  test('5000 nodes land on the 5000-node DRA CI preset (1000/1000 and 1200/1200)', () => {
    const r = ControlPlaneSizing.recommend({ nodes: 5000, podCreationQps: 20 });
    expect(r).toMatchObject({ controllerManagerQps: 1000, controllerManagerBurst: 1000, schedulerQps: 1200, schedulerBurst: 1200 });
  });

  test('between calibration points the node term is interpolated linearly', () => {
    const r = ControlPlaneSizing.recommend({ nodes: 1000, podCreationQps: 20 });
    // 500 + 500 x 500/4500 = 555.6 -> 575; scheduler 500 + 700 x 500/4500 = 577.8 -> 600
    expect(r).toMatchObject({ controllerManagerQps: 575, schedulerQps: 600 });
  });

  test('small clusters: the scheduler keeps its defaults, the controller-manager gets one rounding step', () => {
    const r = ControlPlaneSizing.recommend({ nodes: 3, podCreationQps: 0.5, claimsPerPod: 0 });
    expect(r).toMatchObject({ controllerManagerQps: 25, controllerManagerBurst: 30, schedulerQps: 50, schedulerBurst: 100 });
  });

  test('more claims per pod and faster churn raise the controller-manager', () => {
    const one = ControlPlaneSizing.recommend({ nodes: 10, podCreationQps: 10, claimsPerPod: 1 });
    const four = ControlPlaneSizing.recommend({ nodes: 10, podCreationQps: 10, claimsPerPod: 4 });
    const churn = ControlPlaneSizing.recommend({ nodes: 10, podCreationQps: 10, podDeletionQps: 30 });
    // 10 x (2 + 4 x 2) + 10 x (1 + 4 x 2) = 190 -> 200
    expect(four.controllerManagerQps).toBe(200);
    // 10 x 4 + 30 x 3 = 130 -> 150
    expect(churn.controllerManagerQps).toBe(150);
    expect(one.controllerManagerQps).toBeLessThan(churn.controllerManagerQps);
  });

  test('the rationale names the inputs, the formula and what bounds each value', () => {
    const { rationale } = ControlPlaneSizing.recommend({ nodes: 100, podCreationQps: 10 });
    expect(rationale).toContain('100 nodes, 10 pods/s created, 10 pods/s deleted, 1 generated claim(s) per pod');
    expect(rationale).toContain('kube-controller-manager: pod-rate term = 10 x (2 + 1 x 2) + 10 x (1 + 1 x 2) = 70 calls/s');
    expect(rationale).toMatch(/qps = max\(20, 75, 100\) = 100, set by the node term \(calibration point test-infra 100-node/);
    expect(rationale).toMatch(/burst = max\(30, 150, 100\) = 150, set by the pod-rate term/);
    expect(rationale).toContain('kube-scheduler: pod-rate term = 10 x (2 + 1 x 2) = 40 calls/s');
    expect(rationale).toContain('rest_client_rate_limiter_duration_seconds');
  });

  test('outside the calibrated range the rationale says the values are extrapolated', () => {
    const { rationale } = ControlPlaneSizing.recommend({ nodes: 6000, podCreationQps: 50 });
    expect(rationale).toContain('6000 nodes is beyond the 5000-node limit');
    expect(rationale).toContain('pod churn above 20/s');
    expect(ControlPlaneSizing.recommend({ nodes: 100, podCreationQps: 10 }).rationale).not.toContain('Warning');
  });

  test('outside the calibrated range the warnings say so on their own, not only inside the rationale', () => {
    const beyond = ControlPlaneSizing.recommend({ nodes: 6000, podCreationQps: 50 });
    expect(beyond.warnings).toEqual([
      '6000 nodes is beyond the 5000-node limit of upstream scale tests; the node term is extrapolated.',
      "pod churn above 20/s is beyond SIG Scalability's SLO envelope; the pod-rate term is untested there.",
    ]);
    expect(beyond.rationale).toContain(`Warning: ${beyond.warnings[0]}`);
    expect(ControlPlaneSizing.recommend({ nodes: 5000, podCreationQps: 5, podDeletionQps: 25 }).warnings).toEqual([
      "pod churn above 20/s is beyond SIG Scalability's SLO envelope; the pod-rate term is untested there.",
    ]);
    expect(ControlPlaneSizing.recommend({ nodes: 5000, podCreationQps: 20 }).warnings).toEqual([]);
  });
});

describe('ControlPlaneSizing.recommend invariants', () => {
  const scales = fc.record({
    nodes: fc.integer({ min: 1, max: 20000 }),
    podCreationQps: fc.double({ min: 0.01, max: 500, noNaN: true }),
    claimsPerPod: fc.double({ min: 0, max: 16, noNaN: true }),
    podDeletionQps: fc.double({ min: 0, max: 500, noNaN: true }),
  });

  test('never below the component defaults, burst >= qps, whole numbers', () => {
    fc.assert(fc.property(scales, scale => {
      const r = ControlPlaneSizing.recommend(scale);
      expect(r.controllerManagerQps).toBeGreaterThanOrEqual(20);
      expect(r.controllerManagerBurst).toBeGreaterThanOrEqual(30);
      expect(r.schedulerQps).toBeGreaterThanOrEqual(50);
      expect(r.schedulerBurst).toBeGreaterThanOrEqual(100);
      expect(r.controllerManagerBurst).toBeGreaterThanOrEqual(r.controllerManagerQps);
      expect(r.schedulerBurst).toBeGreaterThanOrEqual(r.schedulerQps);
      for (const v of [r.controllerManagerQps, r.controllerManagerBurst, r.schedulerQps, r.schedulerBurst]) {
        expect(Number.isInteger(v)).toBe(true);
      }
    }));
  });

  test('a bigger cluster never gets less', () => {
    fc.assert(fc.property(scales, fc.integer({ min: 0, max: 5000 }), fc.double({ min: 0, max: 100, noNaN: true }), (scale, moreNodes, moreQps) => {
      const small = ControlPlaneSizing.recommend(scale);
      const big = ControlPlaneSizing.recommend({ ...scale, nodes: scale.nodes + moreNodes, podCreationQps: scale.podCreationQps + moreQps });
      expect(big.controllerManagerQps).toBeGreaterThanOrEqual(small.controllerManagerQps);
      expect(big.controllerManagerBurst).toBeGreaterThanOrEqual(small.controllerManagerBurst);
      expect(big.schedulerQps).toBeGreaterThanOrEqual(small.schedulerQps);
      expect(big.schedulerBurst).toBeGreaterThanOrEqual(small.schedulerBurst);
    }));
  });
});

describe('ControlPlaneSizing.recommend refuses bad input', () => {
  test.each<[string, Partial<ClusterScale>, string]>([
    ['negative nodes', { nodes: -3 }, 'ClusterScale: nodes -3 must be a positive finite number'],
    ['zero nodes', { nodes: 0 }, 'ClusterScale: nodes 0 must be a positive finite number'],
    ['fractional nodes', { nodes: 2.5 }, 'ClusterScale: nodes 2.5 must be a whole number'],
    ['infinite nodes', { nodes: Infinity }, 'ClusterScale: nodes Infinity must be a positive finite number'],
    ['NaN pod rate', { podCreationQps: NaN }, 'ClusterScale: podCreationQps NaN must be a positive finite number'],
    ['zero pod rate', { podCreationQps: 0 }, 'ClusterScale: podCreationQps 0 must be a positive finite number'],
    ['negative claims', { claimsPerPod: -1 }, 'ClusterScale: claimsPerPod -1 must be a finite number >= 0'],
    ['infinite churn', { podDeletionQps: Infinity }, 'ClusterScale: podDeletionQps Infinity must be a finite number >= 0'],
  ])('%s', (_name, override, message) => {
    expect(() => ControlPlaneSizing.recommend({ nodes: 100, podCreationQps: 10, ...override })).toThrow(message);
  });
});

describe('docs/control-plane.md', () => {
  test('its sizing table is what the model gives today', () => {
    const docs = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'control-plane.md'), 'utf-8');
    const match = /<!-- sizing-table:begin -->\n([\s\S]*?)<!-- sizing-table:end -->/.exec(docs);
    expect(match).not.toBeNull();
    expect(match![1]).toBe(sizingTable(DOCS_TABLE_SCALES));
  });
});
