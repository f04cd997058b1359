// Escape hatches on every object the library writes: a user's JSON patch with a field of a
// Kubernetes newer than 1.28, or a plain value where Kubernetes takes an int-or-string or a
// quantity, reaches the YAML and what the good-practice checks see, exactly as written.
// (cdk8s-generated classes convert their props after the patches and dropped such values.)
import { isDeepStrictEqual } from 'util';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import {
  ControlPlaneTarget, DraCluster, DraDriver, DraDriverProps, DraGoodPractices, DraMonitoring, DraRbac, DriverProbe, DriverUpgrade,
} from '../src';
import { SUPPRESS_ANNOTATION_PREFIX } from '../src/common/good-practice-ids';

/** A field a user adds (JSON Patch `add`, which replaces a field that is there). */
interface FieldPatch {
  readonly path: string;
  readonly value: unknown;
}

const RESOURCE_RULE = { apiGroups: ['resource.k8s.io'], resources: ['devicetaintrules'], verbs: ['get', 'list', 'watch'] };

/** Per kind the library writes: fields of Kubernetes 1.29 to 1.37, and plain int-or-string and quantity values. */
const PATCHES: { [kind: string]: FieldPatch[] } = {
  DaemonSet: [
    { path: '/spec/template/spec/containers/0/securityContext/appArmorProfile', value: { type: 'RuntimeDefault' } }, // 1.30
    { path: '/spec/template/spec/containers/0/resizePolicy', value: [{ resourceName: 'memory', restartPolicy: 'RestartContainer' }] }, // 1.33
    { path: '/spec/template/spec/resources', value: { requests: { cpu: '500m', memory: '256Mi' } } }, // pod-level resources, 1.34
    { path: '/spec/template/spec/hostUsers', value: true },
    { path: '/spec/template/spec/initContainers', value: [{ name: 'log-shipper', image: 'busybox:1.37', restartPolicy: 'Always' }] }, // sidecar, 1.29
    { path: '/spec/template/spec/containers/0/livenessProbe', value: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 } },
    { path: '/spec/updateStrategy/rollingUpdate', value: { maxSurge: 1, maxUnavailable: 1 } },
  ],
  Deployment: [
    { path: '/spec/template/spec/containers/0/securityContext/appArmorProfile', value: { type: 'RuntimeDefault' } },
    { path: '/spec/template/spec/schedulingGates', value: [{ name: 'example.com/capacity' }] },
    { path: '/spec/template/spec/resources', value: { limits: { cpu: 2, memory: '1Gi' } } },
    { path: '/spec/strategy', value: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } },
  ],
  Service: [
    { path: '/spec/trafficDistribution', value: 'PreferClose' }, // 1.31
    { path: '/spec/ports/0/targetPort', value: 8080 },
  ],
  ServiceAccount: [{ path: '/imagePullSecrets', value: [{ name: 'registry-credentials' }] }],
  Namespace: [{ path: '/metadata/labels/pod-security.kubernetes.io~1warn', value: 'restricted' }],
  ConfigMap: [{ path: '/immutable', value: true }],
  ResourceQuota: [
    { path: '/spec/hard/pods', value: 20 },
    { path: '/spec/hard/requests.cpu', value: '4' },
  ],
  ClusterRole: [{ path: '/rules/-', value: RESOURCE_RULE }],
  Role: [{ path: '/rules/-', value: { apiGroups: [''], resources: ['events'], verbs: ['create'] } }],
  ClusterRoleBinding: [{ path: '/metadata/labels/example.com~1owner', value: 'platform' }],
  RoleBinding: [{ path: '/subjects/-', value: { kind: 'Group', name: 'dra-auditors', apiGroup: 'rbac.authorization.k8s.io' } }],
  DeviceClass: [{ path: '/spec/extendedResourceName', value: 'example.com/gpu' }], // 1.34
  ValidatingAdmissionPolicy: [{ path: '/spec/auditAnnotations', value: [{ key: 'node', valueExpression: 'variables.userNodeName' }] }],
  ValidatingAdmissionPolicyBinding: [{ path: '/spec/validationActions', value: ['Deny', 'Audit'] }],
  ServiceMonitor: [{ path: '/spec/endpoints/0/targetPort', value: 8080 }],
  PodMonitor: [{ path: '/spec/podMetricsEndpoints/0/targetPort', value: 8080 }],
  PrometheusRule: [{ path: '/spec/groups/0/rules/-', value: { record: 'dra:patched:up', expr: 'vector(1)' } }],
  ClusterConfiguration: [{ path: '/clusterName', value: 'dra-patched' }],
};

/** Every object under `scope`, patched through `ApiObject.of` as a user would. */
function patchEveryObject(scope: IConstruct): ApiObject[] {
  const objects = scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
  for (const object of objects) {
    const patches = PATCHES[object.kind];
    if (patches === undefined) {
      throw new Error(`no patch for ${object.kind} ${object.name}: every kind the library writes needs one here`);
    }
    ApiObject.of(object).addJsonPatch(...patches.map(p => JsonPatch.add(p.path, p.value)));
  }
  return objects;
}

/** The value at a JSON pointer; `-` (append) is the last item. */
function valueAt(document: any, pointer: string): unknown {
  return pointer.split('/').slice(1)
    .map(token => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((node, token) => (token === '-' && Array.isArray(node) ? node[node.length - 1] : node?.[token]), document);
}

/** `kind namespace/name path: value` of every patched field missing from the synthesized objects. */
function missingPatches(patched: ApiObject[], synthesized: any[]): string[] {
  const missing: string[] = [];
  for (const object of patched) {
    const written = synthesized.find(o => o.kind === object.kind && o.metadata?.name === object.metadata.name
      && o.metadata?.namespace === object.metadata.namespace) ?? synthesized.find(o => o.kind === object.kind && !o.metadata);
    for (const patch of PATCHES[object.kind]) {
      if (!isDeepStrictEqual(valueAt(written, patch.path), patch.value)) {
        missing.push(`${object.kind} ${object.metadata.namespace ?? ''}/${object.name} ${patch.path}: ${JSON.stringify(patch.value)}`);
      }
    }
  }
  return missing;
}

/** The rule ids and messages the checks find in the objects. */
function findings(objects: any[]): string[] {
  return DraGoodPractices.checkObjects(objects, { minKubeletVersion: '1.34' }).findings.map(f => `${f.ruleId} ${f.message}`);
}

function driverProps(): DraDriverProps {
  return {
    driverName: 'gpu.example.com',
    image: 'registry.example.com/gpu-driver:v1.0.0',
    metricsPort: 9090,
    priorityClassPodQuota: 10,
    pluginNamespaceRules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
    controller: {
      image: 'registry.example.com/gpu-controller:v1.0.0',
      publishesResourceSlices: true,
      namespaceRules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'update'] }],
    },
  };
}

describe('a patch on any object the library writes reaches the YAML as written', () => {
  test('DraDriver with a controller, metrics, its namespace and a priority-class quota', () => {
    const chart = new Chart(Testing.app(), 'driver');
    new DraDriver(chart, 'gpu', driverProps());
    const patched = patchEveryObject(chart);
    expect(new Set(patched.map(o => o.kind))).toEqual(new Set([
      'Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'Deployment',
      'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ResourceQuota', 'DaemonSet', 'DeviceClass',
      'Service', 'ServiceMonitor',
    ]));
    const objects = Testing.synth(chart);
    expect(missingPatches(patched, objects)).toEqual([]);
    // The checks see the patched rollout: maxSurge 1 without POD_UID is a seamless upgrade the driver cannot do.
    expect(findings(objects)).toContainEqual(expect.stringMatching(/^DRA002 maxSurge 1 runs two driver pods per node/));
  });

  test('DraRbac', () => {
    const chart = new Chart(Testing.app(), 'rbac');
    new DraRbac(chart, 'rbac', {
      admins: [kplus.Group.fromName(chart, 'admins', 'platform-admins')],
      viewers: [kplus.Group.fromName(chart, 'viewers', 'dra-viewers')],
      workloadNamespaces: [{ namespace: 'ml', operators: [kplus.User.fromName(chart, 'alice', 'alice')] }],
      adminAccessNamespaces: ['dra-admin'],
    });
    const patched = patchEveryObject(chart);
    expect(new Set(patched.map(o => o.kind))).toEqual(new Set([
      'ClusterRole', 'ClusterRoleBinding', 'RoleBinding', 'Namespace', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
    ]));
    expect(missingPatches(patched, Testing.synth(chart))).toEqual([]);
  });

  test('DraMonitoring with a driver scraped by a PodMonitor', () => {
    const chart = new Chart(Testing.app(), 'monitoring');
    const driver = new DraDriver(chart, 'nic', { driverName: 'nic.example.com', image: 'nic:1', metricsPort: 9090, serviceMonitor: false });
    const monitoring = new DraMonitoring(chart, 'monitoring', { drivers: [driver], runbookBaseUrl: 'https://runbooks.example.com/dra.md' });
    const patched = patchEveryObject(monitoring);
    expect(new Set(patched.map(o => o.kind))).toEqual(new Set(['PrometheusRule', 'PodMonitor', 'ConfigMap']));
    expect(missingPatches(patched, Testing.synth(chart))).toEqual([]);
  });

  /** A DraCluster of two drivers (the nic one rolls without POD_UID), RBAC, monitoring and a kubeadm control plane, every object patched. */
  function patchedCluster(goodPractices: boolean): { app: App; patched: ApiObject[] } {
    const app = Testing.app();
    const chart = new Chart(app, 'cluster');
    new DraCluster(chart, 'cluster', {
      drivers: [
        { driverName: 'gpu.example.com', image: 'gpu:1', namespace: 'dra-gpu', metricsPort: 8080, upgrade: DriverUpgrade.seamless() },
        { driverName: 'nic.example.com', image: 'nic:1', namespace: 'dra-nic', metricsPort: 9090, serviceMonitor: false },
      ],
      minKubeletVersion: '1.34',
      scale: { nodes: 500, podCreationQps: 20 },
      rbac: { admins: [kplus.Group.fromName(chart, 'admins', 'platform-admins')] },
      controlPlane: { target: ControlPlaneTarget.KUBEADM },
      monitoring: { runbookBaseUrl: 'https://runbooks.example.com/dra.md' },
      goodPractices,
    });
    return { app, patched: patchEveryObject(app) };
  }

  test('DraCluster, control-plane document included', () => {
    const { app, patched } = patchedCluster(false);
    expect(patched.map(o => o.kind)).toContain('ClusterConfiguration');
    const objects = app.charts.flatMap(c => Testing.synth(c));
    expect(missingPatches(patched, objects)).toEqual([]);
    expect(findings(objects)).toContainEqual(expect.stringMatching(/^DRA002 maxSurge 1 runs two driver pods per node during a rollout, but container 'plugin'/));
  });

  test('DraCluster\'s own good-practice checks see the patched rollout, and stop synthesis', () => {
    const { app } = patchedCluster(true);
    expect(() => app.synth()).toThrow(/DaemonSet dra-nic\/nic-example-com-kubelet-plugin .*\n\s+error\s+DRA002\s+maxSurge 1 runs two driver pods per node/);
  });
});

describe('what a user patches onto the plugin, the checks see', () => {
  const SUPPRESSED_DRA001 = `/metadata/annotations/${`${SUPPRESS_ANNOTATION_PREFIX}DRA001`.replace(/\//g, '~1')}`;

  function driverWithoutProbe(): { chart: Chart; driver: DraDriver } {
    const chart = new Chart(new App(), 'probe');
    const driver = new DraDriver(chart, 'gpu', {
      driverName: 'gpu.example.com',
      image: 'registry.example.com/gpu-driver:v1.0.0',
      probe: DriverProbe.none('the driver is probed by a sidecar'),
    });
    ApiObject.of(driver.daemonSet).addJsonPatch(JsonPatch.remove(SUPPRESSED_DRA001));
    return { chart, driver };
  }

  test('without a probe, DRA001 reports the plugin', () => {
    const { chart } = driverWithoutProbe();
    expect(findings(Testing.synth(chart))).toContainEqual(expect.stringMatching(/^DRA001 /));
  });

  test('an HTTP probe on a plain port patched onto the plugin is in the YAML, and DRA001 sees it', () => {
    const { chart, driver } = driverWithoutProbe();
    const probe = { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10, failureThreshold: 3 };
    ApiObject.of(driver.daemonSet).addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/livenessProbe', probe));
    const objects = Testing.synth(chart);
    expect(objects.find(o => o.kind === 'DaemonSet').spec.template.spec.containers[0].livenessProbe).toEqual(probe);
    expect(findings(objects).filter(f => f.startsWith('DRA001'))).toEqual([]);
  });
});
