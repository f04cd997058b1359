import { compileCel, desugarOptionals, toCel } from '../../../src/cel/cel-expression';

const BINDINGS = {
  request: { operation: 'DELETE', userInfo: { username: 'system:serviceaccount:gpu:plugin', extra: { 'authentication.kubernetes.io/node-name': ['node-a'] } } },
  object: null,
  oldObject: { spec: { nodeName: 'node-a', devices: [{ name: 'gpu-0' }] } },
};

function run(expression: string): unknown {
  const compiled = compileCel(expression);
  return compiled.kind === 'compiled' ? compiled.run(Object.fromEntries(Object.entries(BINDINGS).map(([name, value]) => [name, toCel(value)]))) : compiled;
}

describe('CEL expressions of admission policies', () => {
  test('optional chains are rewritten to calls that walk the same path', () => {
    expect(desugarOptionals("request.userInfo.extra[?'authentication.kubernetes.io/node-name'][0].orValue('')")).toEqual({
      kind: 'text', text: "__optOrValue(request.userInfo.extra, ['authentication.kubernetes.io/node-name', 0], '')",
    });
    expect(desugarOptionals('(request.operation == "DELETE" ? oldObject : object).spec.?nodeName.orValue("")')).toEqual({
      kind: 'text', text: '__optOrValue((request.operation == "DELETE" ? oldObject : object).spec, ["nodeName"], "")',
    });
  });

  test.each([
    ["request.userInfo.extra[?'authentication.kubernetes.io/node-name'][0].orValue('')", 'node-a'],
    ["request.userInfo.extra[?'missing'][0].orValue('none')", 'none'],
    ['(request.operation == "DELETE" ? oldObject : object).spec.?nodeName.orValue("")', 'node-a'],
    ['oldObject.spec.?allNodes.orValue(false)', false],
    ['oldObject.spec.?nodeSelector.orValue(null) != null', false],
    ['oldObject.?spec.?devices[0].name.value()', 'gpu-0'],
    ['oldObject.?spec.?devices[3].hasValue()', false],
    ['oldObject.spec.?nodeName.orValue(oldObject.?spec.?pool.orValue("x"))', 'node-a'],
    ['"authentication.kubernetes.io/node-name" in request.userInfo.extra', true],
    ['request.userInfo.username.split(":").size() == 4', true],
  ])('%s is %j', (expression, value) => {
    expect(run(expression)).toEqual({ kind: 'value', value });
  });

  test('a missing field, or a field of null, is an evaluation error (the policy\'s failurePolicy decides)', () => {
    expect(run('object.spec.nodeName')).toEqual({ kind: 'error', message: expect.any(String) });
    expect(run('oldObject.?spec.pool.value()')).toEqual({ kind: 'error', message: 'optional.none() dereference' });
  });

  test.each([
    ['params.maxSlices > 0', 'reads params (a policy with paramKind)'],
    ['authorizer.group("").resource("nodes").check("get").allowed()', 'calls the authorizer'],
    ['[?oldObject]', 'builds optional list or map entries'],
    ['oldObject.spec.?x == null', 'uses an optional value other than through orValue(), hasValue() or value()'],
    ['oldObject.spec.?x.or(optional.none()).hasValue()', 'calls or() on an optional value'],
    ['quantity("1").isGreaterThan(quantity("0"))', 'calls isGreaterThan(), which this evaluator does not have'],
  ])('%s cannot be evaluated: it %s', (expression, reason) => {
    expect(run(expression)).toEqual({ kind: 'unsupported', reason });
  });
});
