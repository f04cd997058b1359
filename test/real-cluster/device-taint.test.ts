// Device maintenance with DeviceTaintRules, judged by the real API server of each test version.
// From 1.37 (DRADeviceTaintRules GA) the server serves resource.k8s.io/v1 DeviceTaintRule and takes
// what DraDeviceTaint writes; before, it serves no v1 DeviceTaintRule and the library refuses the
// construct. Only admins may write DeviceTaintRules; a kubelet plugin granted them by
// DraDriver's writesDeviceTaintRules may, through its pod-bound token, write only rules that select
// its own driver and its own node's pool (the confining policy DRA016 asks for).
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { clientOf } from '../../harness/cluster/control-plane';
import { authorizerAllows, createDaemonSetPod, createNodes, deleteNodes, podBoundToken, waitUntilAllowed } from '../../harness/cluster/identities';
import { KubeClient } from '../../harness/cluster/kube-client';
import { testKubernetesMinor } from '../../harness/cluster/kubernetes-versions';
import { applyAll, deleteAll, problems, typeCheckWarnings, waitForAdmissionPolicies } from '../../harness/cluster/objects';
import { DeviceTaintEffect, DraDeviceTaint, DraDriver, DraGoodPractices, DraRbac } from '../../src';
import { isAtLeast, KUBERNETES_CHANGES } from '../../src/common/kubernetes-versions';
import { parseKubernetesVersion } from '../../src/common/names';
import { ADMIN_ACCESS_LABEL_LOCK, CLUSTER_SETUP_TIMEOUT_MS, holdRunLock, sharedControlPlane } from '../support/cluster/shared';

const VERSION = testKubernetesMinor();
const SERVED = isAtLeast(parseKubernetesVersion(VERSION)!, KUBERNETES_CHANGES.deviceTaintRulesV1);
const DRIVER = 'taint.example.com';
const DRIVER_NAMESPACE = 'dra-device-taint';
const [OWN, OTHER] = ['device-taint-node-a', 'device-taint-node-b'];
const RULES = '/apis/resource.k8s.io/v1/devicetaintrules';

let admin: KubeClient;

beforeAll(async () => {
  admin = clientOf(await sharedControlPlane());
}, CLUSTER_SETUP_TIMEOUT_MS);

if (!SERVED) {
  test(`${VERSION} serves no resource.k8s.io/v1 DeviceTaintRule, and the library refuses DraDeviceTaint there`, async () => {
    expect(await admin.serves('resource.k8s.io/v1', 'DeviceTaintRule')).toBe(false);
    expect(() => new DraDeviceTaint(new Chart(Testing.app(), 'taint'), 'drain', {
      kubernetesVersion: VERSION, driver: DRIVER, pool: OWN, effect: DeviceTaintEffect.NO_EXECUTE,
    })).toThrow(`kubernetesVersion '${VERSION}' must be 1.37 or later`);
  });
} else {
  /** The objects of the chart: a driver whose plugin writes DeviceTaintRules, the personas, an admin's taint of node OTHER. */
  function taintObjects(): { objects: any[]; taint: any } {
    const chart = new Chart(Testing.app(), 'taint');
    new DraDriver(chart, 'driver', {
      driverName: DRIVER,
      image: 'registry.example.com/taint:v1',
      namespace: DRIVER_NAMESPACE,
      writesDeviceTaintRules: true,
      kubernetesVersion: VERSION,
    });
    new DraRbac(chart, 'rbac', {
      namePrefix: 'taint',
      admins: [kplus.Group.fromName(chart, 'admins', 'taint-admins')],
      viewers: [kplus.Group.fromName(chart, 'viewers', 'taint-viewers')],
      workloadNamespaces: [{ namespace: 'taint-team', operators: [kplus.Group.fromName(chart, 'devs', 'taint-devs')] }],
    });
    new DraDeviceTaint(chart, 'drain', {
      kubernetesVersion: VERSION, driver: DRIVER, pool: OTHER, effect: DeviceTaintEffect.NO_EXECUTE, reason: 'node-drain',
    });
    const objects = Testing.synth(chart);
    return { objects, taint: objects.find(o => o.kind === 'DeviceTaintRule') };
  }

  const { objects, taint } = taintObjects();
  const plugin = objects.find(o => o.kind === 'DaemonSet');
  const pluginAccount = `system:serviceaccount:${DRIVER_NAMESPACE}:${plugin.spec.template.spec.serviceAccountName}`;
  const applied = objects.filter(o => o.kind !== 'DaemonSet' && o.kind !== 'DeviceTaintRule');
  let pluginClient: KubeClient;
  let releaseLabelLock: (() => void) | undefined;

  beforeAll(async () => {
    releaseLabelLock = await holdRunLock(ADMIN_ACCESS_LABEL_LOCK);
    expect(problems(await applyAll(admin, [...applied, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'taint-team' } }]))).toEqual([]);
    await createNodes(admin, [OWN, OTHER]);
    const pod = await createDaemonSetPod(admin, plugin, OWN);
    pluginClient = admin.as({ token: await podBoundToken(admin, DRIVER_NAMESPACE, plugin.spec.template.spec.serviceAccountName, pod) });
    await waitUntilAllowed(admin, { user: pluginAccount, groups: ['system:serviceaccounts'] },
      { group: 'resource.k8s.io', resource: 'devicetaintrules', verb: 'create' });
    await waitForAdmissionPolicies(admin);
  }, CLUSTER_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    for (const name of [taint.metadata.name, 'plugin-own-pool', 'plugin-other-pool', 'plugin-other-driver']) {
      await admin.request('DELETE', `${RULES}/${name}`);
    }
    await deleteAll(admin, [...applied, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'taint-team' } }]);
    await deleteNodes(admin, [OWN, OTHER]);
    releaseLabelLock?.();
  }, 180_000);

  /** A DeviceTaintRule of `driver`'s devices in `pool`, as a plugin would write one for an unhealthy device. */
  const pluginRule = (name: string, driver: string, pool: string) => ({
    apiVersion: 'resource.k8s.io/v1',
    kind: 'DeviceTaintRule',
    metadata: { name },
    spec: { deviceSelector: { driver, pool, device: 'gpu-0' }, taint: { key: 'taint.example.com/unhealthy', effect: 'NoSchedule' } },
  });

  test(`${VERSION} takes DraDeviceTaint's rule (strict field validation) and stamps the taint's time`, async () => {
    const created = await admin.request('POST', `${RULES}?fieldValidation=Strict`, taint);
    expect(created.status).toBe(201);
    expect(created.body.spec).toEqual({
      deviceSelector: { driver: DRIVER, pool: OTHER },
      taint: { key: 'resource.cdk8s-dra.io/maintenance', value: 'node-drain', effect: 'NoExecute', timeAdded: expect.any(String) },
    });
  });

  test(`${VERSION}: only the admin persona may write DeviceTaintRules`, async () => {
    const may = (user: string, groups: string[], verb: string) =>
      authorizerAllows(admin, { user, groups: [...groups, 'system:authenticated'] }, { group: 'resource.k8s.io', resource: 'devicetaintrules', verb });
    for (const verb of ['create', 'update', 'patch', 'delete']) {
      expect([verb, await may('an-admin', ['taint-admins'], verb)]).toEqual([verb, true]);
      expect([verb, await may('a-viewer', ['taint-viewers'], verb)]).toEqual([verb, false]);
      expect([verb, await may('a-dev', ['taint-devs'], verb)]).toEqual([verb, false]);
    }
    expect(await may('a-viewer', ['taint-viewers'], 'list')).toBe(true);
  });

  test(`${VERSION} lets the plugin taint its own driver's devices in its own node's pool, and delete the rule`, async () => {
    expect((await pluginClient.request('POST', RULES, pluginRule('plugin-own-pool', DRIVER, OWN))).status).toBe(201);
    expect((await pluginClient.request('DELETE', `${RULES}/plugin-own-pool`)).status).toBe(200);
  });

  test.each([
    ['another node\'s pool', 'plugin-other-pool', DRIVER, OTHER],
    ['another driver\'s devices', 'plugin-other-driver', 'other.example.com', OWN],
  ])(`${VERSION} refuses the plugin a rule for %s`, async (_what, name, driver, pool) => {
    const res = await pluginClient.request('POST', RULES, pluginRule(name, driver, pool));
    expect({ status: res.status, message: res.body?.message }).toEqual({
      status: 422,
      message: expect.stringContaining(`may only write DeviceTaintRules that select driver ${DRIVER} and pool '${OWN}'`),
    });
  });

  test(`${VERSION} refuses the plugin the admin's rule on another node: neither rewriting nor deleting it`, async () => {
    const current = await admin.expectOk('GET', `${RULES}/${taint.metadata.name}`);
    const rewritten = { ...current.body, spec: { ...current.body.spec, deviceSelector: { driver: DRIVER, pool: OWN } } };
    expect((await pluginClient.request('PUT', `${RULES}/${taint.metadata.name}`, rewritten)).status).toBe(422);
    expect((await pluginClient.request('DELETE', `${RULES}/${taint.metadata.name}`)).status).toBe(422);
    expect((await admin.expectOk('GET', `${RULES}/${taint.metadata.name}`)).body.spec.deviceSelector.pool).toBe(OTHER);
  });

  test(`${VERSION}'s kube-controller-manager type-checks the confining policy and finds nothing`, async () => {
    const policy = objects.find(o => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.name.endsWith('-devicetaintrules'));
    expect(await typeCheckWarnings(admin, policy.metadata.name)).toEqual([]);
  });

  test('DRA016 accepts the confined grant that the server enforces', () => {
    expect(DraGoodPractices.checkObjects(objects, { kubernetesVersion: VERSION }).findings.filter(f => f.ruleId === 'DRA016')).toEqual([]);
  });
}
