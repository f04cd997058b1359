import { compileDirect, OutsideSubset } from '../../../src/cel/cel-direct';
import { compileCel, toCel } from '../../../src/cel/cel-expression';
import { PolicyEvaluator } from '../../../src/cel/policy-evaluation';
import { kubeletPluginSliceRequests } from '../../../src/good-practices/admission/slice-requests';

const BINDINGS = {
  request: {
    operation: 'DELETE',
    userInfo: { username: 'system:serviceaccount:gpu:plugin', groups: ['system:serviceaccounts', 'system:authenticated'], extra: { 'authentication.kubernetes.io/node-name': ['node-a'] } },
  },
  object: null,
  oldObject: { spec: { nodeName: 'node-a', count: 3, ratio: 1.5, devices: [{ name: 'gpu-0' }], empty: {}, blank: '' } },
  namespaceObject: null,
  variables: { nodeName: 'node-a', none: '' },
};

/** The value directly evaluated, or 'outside' where the direct evaluator gives up. */
function direct(expression: string): unknown {
  const program = compileDirect(expression);
  if (program === undefined) return 'outside';
  try {
    return program(BINDINGS);
  } catch (e) {
    if (e instanceof OutsideSubset) return 'outside';
    throw e;
  }
}

/** @bufbuild/cel's value on the same bindings, as JSON (CEL ints as numbers). */
function reference(expression: string): unknown {
  const compiled = compileCel(expression);
  if (compiled.kind !== 'compiled') return compiled;
  const outcome = compiled.run(Object.fromEntries(Object.entries(BINDINGS).map(([name, value]) => [name, toCel(value)])));
  return outcome.kind === 'value' ? JSON.parse(JSON.stringify(outcome.value, (_, v) => (typeof v === 'bigint' ? Number(v) : v))) : outcome;
}

describe('CEL evaluated directly on JSON', () => {
  test.each([
    "request.userInfo.extra[?'authentication.kubernetes.io/node-name'][0].orValue('')",
    "request.userInfo.extra[?'missing'][0].orValue('none')",
    '(request.operation == "DELETE" ? oldObject : object).spec.?nodeName.orValue("")',
    'oldObject.spec.?allNodes.orValue(false)',
    'oldObject.spec.?nodeSelector.orValue(null) != null',
    'oldObject.?spec.?devices[0].name.value()',
    'oldObject.?spec.?devices[3].hasValue()',
    'variables.nodeName != ""',
    'variables.nodeName == variables.none || variables.none == "" || oldObject.spec.?nodeSelector.orValue(null) != null',
    '"authentication.kubernetes.io/node-name" in request.userInfo.extra',
    'request.userInfo.username in ["a", "system:serviceaccount:gpu:plugin"]',
    'has(oldObject.spec.nodeName) && !has(oldObject.spec.empty.x)',
    'size(oldObject.spec.devices) == 1 && oldObject.spec.devices.size() == 1 && size("héllo") == 5',
    'oldObject.spec.count + 2 == 5 && oldObject.spec.count - 5 < 0 && oldObject.spec.count >= 3',
    'oldObject.spec.count == "3"',
    'oldObject.spec.empty == null',
    'namespaceObject == null',
    '"a" + \'b\\\'c\' == "ab\'c"',
    'oldObject.spec.blank == \'\' ? "empty" : "set"',
    'request.userInfo.groups[1]',
    'oldObject.spec.devices[0]["name"]',
    'true && false || !false',
  ])('%s: the value @bufbuild/cel gives', expression => {
    const value = direct(expression);
    expect(value).not.toBe('outside');
    expect(value).toEqual(reference(expression));
  });

  test.each([
    // Evaluation errors: @bufbuild/cel gives the message.
    'object.spec.nodeName',
    'oldObject.?spec.pool.value()',
    'variables.missing',
    'request.userInfo.groups[2]',
    'oldObject.spec.count ? 1 : 2',
    'has(object.spec)',
    // Outside the subset: doubles, other functions and macros, unusual literals, chained relations.
    'oldObject.spec.ratio == 1.5',
    'request.userInfo.username.split(":").size() == 4',
    'oldObject.spec.devices.exists(d, d.name == "gpu-0")',
    '"\\u00e9" == "é"',
    '007 == 7',
    '-1 < 0',
    '1 == 1 == true',
    'params.maxSlices > 0',
  ])('%s is left to @bufbuild/cel', expression => {
    expect(direct(expression)).toBe('outside');
  });

  test('a policy is judged the same directly and by @bufbuild/cel', () => {
    const username = 'system:serviceaccount:gpu:plugin';
    const policy = (validations: any[]) => ({
      metadata: { name: 'guard' },
      spec: {
        failurePolicy: 'Fail',
        matchConditions: [{ name: 'plugin', expression: `request.userInfo.username == "${username}"` }],
        matchConstraints: { resourceRules: [{ apiGroups: ['resource.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['resourceslices'] }] },
        variables: [
          { name: 'userNodeName', expression: "request.userInfo.extra[?'authentication.kubernetes.io/node-name'][0].orValue('')" },
          { name: 'objectNodeName', expression: '(request.operation == "DELETE" ? oldObject : object).spec.?nodeName.orValue("")' },
        ],
        validations,
      },
    });
    const binding = { spec: { policyName: 'guard', validationActions: ['Deny'] } };
    const sameNode = [{ expression: 'variables.userNodeName != ""', message: 'no node' }, { expression: 'variables.userNodeName == variables.objectNodeName', message: 'other node' }];
    // The same validations, one of them outside the subset (a macro): that policy is evaluated by @bufbuild/cel.
    const viaCel = [sameNode[0], { expression: '[variables.objectNodeName].exists(n, n == variables.userNodeName)', message: 'other node' }];
    const verdicts = (validations: any[]) => kubeletPluginSliceRequests(username, 'v1')
      .map(slice => new PolicyEvaluator(policy(validations), [binding]).evaluate(slice.request, ['v1']));
    const directly = verdicts(sameNode);
    expect(directly).toEqual(verdicts(viaCel));
    expect(directly.filter(v => v.kind === 'deny')).toHaveLength(10);
  });

  test('a failed validation gives the message @bufbuild/cel gives: messageExpression inside the subset, outside it, or not a string', () => {
    const username = 'system:serviceaccount:gpu:plugin';
    const policy = (validations: any[]) => ({
      metadata: { name: 'guard' },
      spec: {
        matchConstraints: { resourceRules: [{ apiGroups: ['resource.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['resourceslices'] }] },
        variables: [{ name: 'userNodeName', expression: "request.userInfo.extra[?'authentication.kubernetes.io/node-name'][0].orValue('')" }],
        validations,
      },
    });
    const binding = { spec: { policyName: 'guard', validationActions: ['Deny'] } };
    const verdicts = (validations: any[]) => kubeletPluginSliceRequests(username, 'v1')
      .map(slice => new PolicyEvaluator(policy(validations), [binding]).evaluate(slice.request, ['v1']));
    // A last validation outside the subset that always holds: that policy is evaluated by @bufbuild/cel alone.
    const viaCel = (validations: any[]) => verdicts([...validations, { expression: '[true].exists(b, b)' }]);
    const cases = [
      [{ expression: 'variables.userNodeName == "node-x"', messageExpression: '"node \'" + variables.userNodeName + "\' is not node-x"', message: 'fallback' }],
      [{ expression: 'variables.userNodeName == "node-x"', messageExpression: 'variables.userNodeName.upperAscii() + " is not node-x"', message: 'fallback' }],
      [{ expression: 'variables.userNodeName == "node-x"', messageExpression: 'size(variables.userNodeName)', message: 'fallback' }],
      [{ expression: 'variables.userNodeName == "node-x"', messageExpression: 'size(variables.userNodeName)' }],
    ];
    for (const validations of cases) {
      const directly = verdicts(validations);
      expect(directly).toEqual(viaCel(validations));
      expect(directly.filter(v => v.kind === 'deny').length).toBeGreaterThan(0);
    }
    const messages = cases.map(validations => verdicts(validations).find(v => v.kind === 'deny'));
    expect(messages[0]).toEqual({ kind: 'deny', message: "node 'node-a' is not node-x" });
    expect(messages[1]).toEqual({ kind: 'deny', message: 'NODE-A is not node-x' });
    expect(messages[2]).toEqual({ kind: 'deny', message: 'fallback' });
    expect(messages[3]).toEqual({ kind: 'deny', message: 'variables.userNodeName == "node-x"' });
  });

  test('namespaceObject is the request\'s Namespace directly as in @bufbuild/cel', () => {
    const policy = (validations: any[]) => ({
      metadata: { name: 'tenants' },
      spec: {
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] },
        validations,
      },
    });
    const binding = { spec: { policyName: 'tenants', validationActions: ['Deny'] } };
    const request = (labels: Record<string, string>) => ({
      group: '',
      version: 'v1',
      kind: 'ConfigMap',
      resource: 'configmaps',
      operation: 'CREATE' as const,
      name: 'c',
      userInfo: { username: 'alice', uid: '1', groups: [], extra: {} },
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'tenant-a' } },
      oldObject: null,
      namespaceObject: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-a', labels } },
    });
    const validation = { expression: 'namespaceObject.?metadata.?labels[?"tier"].orValue("") == "gold"', message: 'gold tenants only' };
    for (const labels of [{ tier: 'gold' }, { tier: 'bronze' }, {}] as Array<Record<string, string>>) {
      const directly = new PolicyEvaluator(policy([validation]), [binding]).evaluate(request(labels), ['v1']);
      const viaCel = new PolicyEvaluator(policy([validation, { expression: '[true].exists(b, b)' }]), [binding]).evaluate(request(labels), ['v1']);
      expect(directly).toEqual(viaCel);
      expect(directly.kind).toBe(labels.tier === 'gold' ? 'admit' : 'deny');
    }
  });
});
