// Reads ../shared/fixtures: real `helm template` renderings of public DRA driver charts and upstream's e2e driver manifests.
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { DraCluster, DraGoodPractices, DraGoodPracticesAdmission, DraGoodPracticesAdmissionProps } from '../../../src';
import { AdmissionRequest, PolicyEvaluator } from '../../../src/cel/policy-evaluation';
import { ALL_RULES } from '../../../src/good-practices/rules/all-rules';
import { findObjects, synthValid, testChart } from '../../support/harness';
import { refusal } from '../../support/refusal';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'fixtures');

/** Every document of every rendering, with the file it came from. */
function fixtureObjects(): Array<{ file: string; object: any }> {
  return fs.readdirSync(FIXTURES).sort().flatMap(dir => fs.readdirSync(path.join(FIXTURES, dir)).filter(f => /\.ya?ml$/.test(f)).sort().flatMap(file =>
    parseAllDocuments(fs.readFileSync(path.join(FIXTURES, dir, file), 'utf-8')).map(d => d.toJS()).filter(o => o?.kind)
      .map(object => ({ file: `${dir}/${file}`, object }))));
}

const RESOURCES: { [kind: string]: { group: string; resource: string } } = {
  DaemonSet: { group: 'apps', resource: 'daemonsets' },
  ClusterRole: { group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
  Role: { group: 'rbac.authorization.k8s.io', resource: 'roles' },
};

/** The policies of `props` (every rule denying, so the evaluator enforces them) as evaluators. */
function admissionEvaluators(props: DraGoodPracticesAdmissionProps = {}): PolicyEvaluator[] {
  const chart = testChart();
  new DraGoodPracticesAdmission(chart, 'admission', { denyAll: true, ...props });
  const objects = synthValid(chart);
  const bindings = findObjects(objects, 'ValidatingAdmissionPolicyBinding');
  return findObjects(objects, 'ValidatingAdmissionPolicy').map(p => new PolicyEvaluator(p, bindings.filter(b => b.spec.policyName === p.metadata.name)));
}

const EVALUATORS = admissionEvaluators();

/** The rule ids whose policy refuses creating `object` (in a namespace with `namespaceAnnotations`). */
function refusedBy(object: any, namespaceAnnotations?: { [key: string]: string }, evaluators = EVALUATORS): string[] {
  const match = RESOURCES[object.kind];
  if (match === undefined) return [];
  const namespace = object.metadata?.namespace;
  const request: AdmissionRequest = {
    group: match.group,
    version: 'v1',
    kind: object.kind,
    resource: match.resource,
    operation: 'CREATE',
    name: object.metadata?.name ?? '',
    userInfo: { username: 'admin', uid: '1', groups: ['system:masters'], extra: {} },
    object,
    oldObject: null,
    namespaceObject: namespace === undefined ? null : { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, annotations: namespaceAnnotations ?? {} } },
  };
  return evaluators.flatMap(evaluator => {
    const verdict = evaluator.evaluate(request, ['v1']);
    if (verdict.kind === 'cannot-evaluate') throw new Error(`${evaluator.name}: ${verdict.reason}`);
    return verdict.kind === 'deny' ? [verdict.message.split(':')[0]] : [];
  }).sort();
}

/** The rule ids, among those judged at admission, that `check` reports on `object` checked alone. */
function foundAlone(object: any): string[] {
  return DraGoodPractices.checkObjects([object]).findings.map(f => f.ruleId).filter(id => DraGoodPracticesAdmission.RULE_IDS.includes(id)).sort();
}

/** Both verdicts, which each test expects to be the same and as stated. */
function verdicts(object: any, namespaceAnnotations?: { [key: string]: string }): { policies: string[]; checker: string[] } {
  return { policies: refusedBy(object, namespaceAnnotations), checker: namespaceAnnotations === undefined ? foundAlone(object) : [] };
}

const FIXTURE_OBJECTS = fixtureObjects();
const daemonSet = (file: string): any => structuredClone(FIXTURE_OBJECTS.find(o => o.file.startsWith(file) && o.object.kind === 'DaemonSet')!.object);

/** The example driver's kubelet plugin with DRA004's toleration and annotation added: it then breaks no rule. */
function compliantPlugin(): any {
  const ds = daemonSet('dra-example-driver');
  ds.spec.template.spec.tolerations = [...ds.spec.template.spec.tolerations ?? [], { key: 'karpenter.sh/disrupted', operator: 'Exists', effect: 'NoSchedule' }];
  ds.spec.template.metadata.annotations = { ...ds.spec.template.metadata.annotations, 'cluster-autoscaler.kubernetes.io/enable-ds-eviction': 'false' };
  return ds;
}

describe('DraGoodPracticesAdmission: the policies agree with the checker', () => {
  test.each(FIXTURE_OBJECTS.filter(o => RESOURCES[o.object.kind]).map(o => [`${o.file}: ${o.object.kind} ${o.object.metadata.name}`, o.object]))(
    '%s: the policies refuse what check finds on it alone', (_, object) => {
      expect(refusedBy(object)).toEqual(foundAlone(object));
    });

  test('the vendor renderings break DRA001, DRA003, DRA004 and DRA013 between them, so the agreement above is not vacuous', () => {
    expect([...new Set(FIXTURE_OBJECTS.flatMap(o => refusedBy(o.object)))].sort()).toEqual(['DRA001', 'DRA003', 'DRA004', 'DRA013']);
  });

  test('each policy\'s message is its rule\'s id, title and fix, from the rule itself', () => {
    const chart = testChart();
    new DraGoodPracticesAdmission(chart, 'admission');
    const policies = findObjects(synthValid(chart), 'ValidatingAdmissionPolicy');
    expect(policies.map(p => p.metadata.name)).toEqual(['dra001', 'dra003', 'dra004', 'dra007', 'dra013'].map(id => `cdk8s-dra-good-practices-${id}`));
    for (const policy of policies) {
      const info = ALL_RULES.find(r => r.info.id === policy.metadata.name.slice(-6).toUpperCase())!.info;
      expect(policy.spec.validations.map((v: any) => v.message)).toEqual([`${info.id}: ${info.title}. Fix: ${info.fix}`]);
    }
  });
});

describe('DRA001 at admission: a kubelet plugin without a working liveness probe', () => {
  const plugin = compliantPlugin;
  const container = (ds: any) => ds.spec.template.spec.containers.find((c: any) => c.name === 'plugin');

  test('the example driver\'s gRPC probe on the port it serves complies', () => {
    expect(verdicts(plugin())).toEqual({ policies: [], checker: [] });
  });

  test('no probe is refused', () => {
    const ds = plugin();
    delete container(ds).livenessProbe;
    expect(verdicts(ds)).toEqual({ policies: ['DRA001'], checker: ['DRA001'] });
  });

  test('a gRPC probe on another port than HEALTHCHECK_PORT, or --healthcheck-port, is refused; on the same port it complies', () => {
    const env = plugin();
    container(env).env = [...container(env).env.filter((e: any) => e.name !== 'HEALTHCHECK_PORT'), { name: 'HEALTHCHECK_PORT', value: '6000' }];
    expect(verdicts(env)).toEqual({ policies: ['DRA001'], checker: ['DRA001'] });
    const flag = plugin();
    container(flag).args = [...container(flag).args ?? [], '--healthcheck-port', String(container(flag).livenessProbe.grpc.port + 1)];
    expect(verdicts(flag)).toEqual({ policies: ['DRA001'], checker: ['DRA001'] });
    const same = plugin();
    container(same).args = [...container(same).args ?? [], `--healthcheck-port=${container(same).livenessProbe.grpc.port}`];
    expect(verdicts(same)).toEqual({ policies: [], checker: [] });
  });

  test('an HTTP probe complies; a DaemonSet without the registration directory is no plugin', () => {
    const http = plugin();
    container(http).livenessProbe = { httpGet: { path: '/healthz', port: 8080 } };
    expect(verdicts(http)).toEqual({ policies: [], checker: [] });
    const other = plugin();
    delete container(other).livenessProbe;
    other.spec.template.spec.volumes = other.spec.template.spec.volumes.filter((v: any) => !String(v.hostPath?.path).endsWith('plugins_registry'));
    expect(verdicts(other)).toEqual({ policies: [], checker: [] });
  });

  test('a CSI node plugin (node-driver-registrar) is not a DRA plugin', () => {
    const csi = plugin();
    delete container(csi).livenessProbe;
    csi.spec.template.spec.containers.push({ name: 'registrar', image: 'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.13.0' });
    expect(verdicts(csi)).toEqual({ policies: [], checker: [] });
  });

  test('a registration directory given in registrationDirs marks a plugin', () => {
    const custom = plugin();
    delete container(custom).livenessProbe;
    const volume = custom.spec.template.spec.volumes.find((v: any) => String(v.hostPath?.path).endsWith('plugins_registry'));
    volume.hostPath.path = '/data/kubelet/registry';
    expect(refusedBy(custom)).toEqual([]);
    expect(refusedBy(custom, undefined, admissionEvaluators({ registrationDirs: ['/data/kubelet/registry/'] }))).toEqual(['DRA001']);
    expect(DraGoodPractices.checkObjects([custom], { registrationDirs: ['/data/kubelet/registry/'] }).findings.map(f => f.ruleId)).toContain('DRA001');
  });
});

describe('DRA003 and DRA004 at admission: priority and drain', () => {
  test('system-node-critical complies; another class is refused', () => {
    const ds = daemonSet('dra-example-driver');
    ds.spec.template.spec.priorityClassName = 'high';
    expect(verdicts(ds).policies).toContain('DRA003');
    expect(verdicts(ds).checker).toContain('DRA003');
    ds.spec.template.spec.priorityClassName = 'system-node-critical';
    expect(verdicts(ds).policies).not.toContain('DRA003');
  });

  test('the Karpenter toleration and the Cluster Autoscaler annotation together comply; either alone is refused', () => {
    const ds = daemonSet('dra-example-driver');
    const toleration = { key: 'karpenter.sh/disrupted', operator: 'Exists', effect: 'NoSchedule' };
    ds.spec.template.spec.tolerations = [toleration];
    expect(verdicts(ds)).toEqual({ policies: ['DRA004'], checker: ['DRA004'] });
    ds.spec.template.metadata.annotations = { 'cluster-autoscaler.kubernetes.io/enable-ds-eviction': 'false' };
    expect(verdicts(ds)).toEqual({ policies: [], checker: [] });
    ds.spec.template.spec.tolerations = [{ ...toleration, effect: 'NoExecute' }];
    expect(verdicts(ds)).toEqual({ policies: ['DRA004'], checker: ['DRA004'] });
    ds.spec.template.spec.tolerations = [{ operator: 'Exists' }];
    expect(verdicts(ds)).toEqual({ policies: [], checker: [] });
  });
});

describe('DRA013 at admission: a rollout stopping the plugin on many nodes at once', () => {
  test.each([
    [{ maxUnavailable: '100%' }, ['DRA013']],
    [{ maxUnavailable: 2 }, ['DRA013']],
    [{ maxUnavailable: 1 }, []],
    [{ maxUnavailable: '0%', maxSurge: 1 }, []],
    [{ maxUnavailable: 0, maxSurge: '10%' }, []],
    [{}, []],
  ])('rollingUpdate %j: %j', (rollingUpdate, expected) => {
    const ds = compliantPlugin();
    ds.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate };
    expect(verdicts(ds)).toEqual({ policies: expected, checker: expected });
  });

  test('OnDelete complies', () => {
    const ds = daemonSet('nvidia-dra-driver-gpu');
    expect(verdicts(ds).policies).toContain('DRA013');
    ds.spec.updateStrategy = { type: 'OnDelete' };
    expect(verdicts(ds).policies).not.toContain('DRA013');
    expect(verdicts(ds).checker).not.toContain('DRA013');
  });
});

describe('DRA007 at admission: wildcards reaching resource.k8s.io', () => {
  const role = (rules: any[], labels?: { [key: string]: string }) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r', ...labels ? { labels } : {} }, rules,
  });

  test.each([
    [[{ apiGroups: ['resource.k8s.io'], resources: ['*'], verbs: ['get'] }], ['DRA007']],
    [[{ apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }], []],
    [[{ apiGroups: ['*'], resources: ['resourceclaims/status'], verbs: ['get'] }], ['DRA007']],
    [[{ apiGroups: ['resource.k8s.io'], resources: ['deviceclasses'], verbs: ['*'] }], ['DRA007']],
    [[{ apiGroups: ['resource.k8s.io'], resources: ['deviceclasses'], verbs: ['get', 'list'] }], []],
    [[{ apiGroups: [''], resources: ['*'], verbs: ['*'] }], []],
    [[{ apiGroups: ['resource.k8s.io'], resources: ['*/driver'], verbs: ['associated-node:update'] }], ['DRA007']],
  ])('rules %j: %j', (rules, expected) => {
    expect(verdicts(role(rules))).toEqual({ policies: expected, checker: expected });
    const namespaced = { ...role(rules), kind: 'Role', metadata: { name: 'r', namespace: 'team' } };
    expect(verdicts(namespaced)).toEqual({ policies: expected, checker: expected });
  });

  test('Kubernetes\' own roles (rbac-defaults) are left alone', () => {
    const admin = role([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }], { 'kubernetes.io/bootstrapping': 'rbac-defaults' });
    expect(verdicts(admin)).toEqual({ policies: [], checker: [] });
  });
});

describe('exemptions: the suppression annotation check honours', () => {
  test('on the object: exempt from that rule only, as check suppresses it', () => {
    const ds = daemonSet('dranet');
    expect(verdicts(ds)).toEqual({ policies: ['DRA001', 'DRA003', 'DRA004'], checker: ['DRA001', 'DRA003', 'DRA004'] });
    ds.metadata.annotations = { ...ds.metadata.annotations, [DraGoodPracticesAdmission.exemptionAnnotation('DRA003')]: 'priority set by a namespace default' };
    expect(verdicts(ds)).toEqual({ policies: ['DRA001', 'DRA004'], checker: ['DRA001', 'DRA004'] });
  });

  test('an empty reason exempts nothing, as in check', () => {
    const ds = daemonSet('dranet');
    ds.metadata.annotations = { 'cdk8s-dra/suppress-DRA003': ' ' };
    expect(verdicts(ds)).toEqual({ policies: ['DRA001', 'DRA003', 'DRA004'], checker: ['DRA001', 'DRA003', 'DRA004'] });
  });

  test('on the namespace: every object in it is exempt from that rule', () => {
    expect(refusedBy(daemonSet('dranet'), { 'cdk8s-dra/suppress-DRA004': 'drained by our own tooling' })).toEqual(['DRA001', 'DRA003']);
    expect(refusedBy(daemonSet('dranet'), { 'cdk8s-dra/suppress-DRA001': '' })).toEqual(['DRA001', 'DRA003', 'DRA004']);
  });
});

describe('DraGoodPracticesAdmission props', () => {
  const actions = (props: DraGoodPracticesAdmissionProps) => {
    const chart = testChart();
    new DraGoodPracticesAdmission(chart, 'admission', props);
    return Object.fromEntries(findObjects(synthValid(chart), 'ValidatingAdmissionPolicyBinding').map(b => [b.spec.policyName.slice(-6), b.spec.validationActions]));
  };

  test('warn and audit by default; deny per rule or all', () => {
    expect(actions({})).toEqual({ dra001: ['Warn', 'Audit'], dra003: ['Warn', 'Audit'], dra004: ['Warn', 'Audit'], dra007: ['Warn', 'Audit'], dra013: ['Warn', 'Audit'] });
    expect(actions({ denyRules: ['DRA013'], rules: ['DRA001', 'DRA013'] })).toEqual({ dra001: ['Warn', 'Audit'], dra013: ['Deny', 'Audit'] });
    expect(Object.values(actions({ denyAll: true }))).toEqual(Array(5).fill(['Deny', 'Audit']));
  });

  test('refuses rules not judgeable at admission, denying a rule not enforced, and a bad prefix', () => {
    const refused = (props: DraGoodPracticesAdmissionProps) => {
      const e = refusal(() => new DraGoodPracticesAdmission(testChart(), 'a', props));
      return `${e.prop} ${e.value}: ${e.rule}`;
    };
    expect(refused({ rules: ['DRA005'] })).toMatch(/^rules DRA005: must be a rule judgeable on one object at admission/);
    expect(refused({ rules: ['DRA001'], denyRules: ['DRA013'] })).toMatch(/^denyRules DRA013: is not among the rules enforced here/);
    expect(refused({ namePrefix: 'Bad_Prefix' })).toMatch(/^namePrefix Bad_Prefix: .*DNS subdomain/);
    expect(refused({ registrationDirs: ['relative/dir'] })).toMatch(/^registrationDirs relative\/dir: must be an absolute host path/);
  });

  test('DraCluster adds the policies when admission is given', () => {
    const chart = testChart();
    const cluster = new DraCluster(chart, 'cluster', { admission: { denyRules: ['DRA013'] } });
    expect(cluster.admission?.denyingRuleIds).toEqual(['DRA013']);
    expect(findObjects(synthValid(chart), 'ValidatingAdmissionPolicy')).toHaveLength(5);
    const without = testChart();
    expect(new DraCluster(without, 'cluster', { goodPractices: false }).admission).toBeUndefined();
  });
});
