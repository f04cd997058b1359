import { DraDriver } from '../../../src';
import { PolicyEvaluator } from '../../../src/cel/policy-evaluation';
import { kubeletPluginSliceRequests } from '../../../src/good-practices/admission/slice-requests';
import { OPT_IN_SLICE_VERSIONS } from '../../../src/good-practices/engine/served-apis';
import { findObjects, synthValid, testChart } from '../../support/harness';

describe('the library\'s ResourceSlice guard, proven by the evaluator DRA008 uses', () => {
  const chart = testChart();
  const driver = new DraDriver(chart, 'gpu', { driverName: 'gpu.example.com', image: 'registry.example.com/gpu-driver:v1' });
  const objects = synthValid(chart);
  const [policy] = findObjects(objects, 'ValidatingAdmissionPolicy');
  const guard = new PolicyEvaluator(policy, findObjects(objects, 'ValidatingAdmissionPolicyBinding'));
  const username = `system:serviceaccount:${driver.namespace}:${driver.serviceAccountName}`;

  test.each(['v1', ...OPT_IN_SLICE_VERSIONS])('through %s: admits the plugin\'s own node\'s slices and denies every other write', version => {
    const served = version === 'v1' ? ['v1'] : ['v1', version];
    const verdicts = kubeletPluginSliceRequests(username, version).map(slice => ({
      write: `${slice.request.operation} of ${slice.target}`,
      allowed: slice.allowed,
      verdict: guard.evaluate(slice.request, served).kind,
    }));
    expect(verdicts.filter(v => v.allowed).map(v => v.verdict)).toEqual(['admit', 'admit', 'admit']);
    expect(verdicts.filter(v => !v.allowed).map(v => `${v.write}: ${v.verdict}`)).toEqual(verdicts.filter(v => !v.allowed).map(v => `${v.write}: deny`));
    expect(verdicts.filter(v => !v.allowed)).toHaveLength(10);
  });

  test('does not apply to other users', () => {
    const other = kubeletPluginSliceRequests('system:serviceaccount:tools:ci', 'v1');
    expect(other.map(slice => guard.evaluate(slice.request, ['v1']))).toEqual(other.map(() => ({ kind: 'admit', why: 'condition-false' })));
  });
});
