// Run only by test/quiet-tests.test.ts (its name matches no test pattern): one passing and one
// failing test that both print, as a synthesizing test makes the library warn.
import { Testing } from 'cdk8s';
import { DraTunedControlPlane, ControlPlaneTarget } from '../../../src';

function synthBeyondCalibration(): void {
  const chart = Testing.chart();
  new DraTunedControlPlane(chart, 'cp', { target: ControlPlaneTarget.KUBEADM, scale: { nodes: 8000, podCreationQps: 10 } });
  Testing.synth(chart);
}

// Said while jest collects the tests, outside any test: shown, as the file has a failure.
console.log('FILE-LEVEL-SAYS');

test('passes after warning', () => {
  synthBeyondCalibration();
  console.log('PASSING-TEST-SAYS');
});

test('fails after warning', () => {
  synthBeyondCalibration();
  console.log('FAILING-TEST-SAYS');
  expect(1).toBe(2);
});
