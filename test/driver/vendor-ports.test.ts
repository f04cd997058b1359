/**
 * Reads ../shared/fixtures/{intel-gpu-resource-driver,nvidia-dra-driver-gpu}/rendered-defaults.yaml
 * (the vendors' `helm template` output) and compares each with its port in
 * examples/<name>/dist/ (kept current by test/examples.test.ts) field by field: any
 * difference outside the port's list of intended deltas fails, and so does a delta that no
 * longer explains any difference. docs/driver.md carries the same lists.
 */
import * as fs from 'fs';
import * as path from 'path';
import { run } from '@bufbuild/cel';
import { parseAllDocuments } from 'yaml';
import { DraGoodPractices } from '../../src';
import { fieldDifferences, IntendedDelta, unexplained } from '../support/field-diff';

const root = path.resolve(__dirname, '..', '..');
const load = (file: string): any[] => parseAllDocuments(fs.readFileSync(file, 'utf-8')).map(d => d.toJSON()).filter(o => o);
const vendor = (chart: string) => load(path.join(root, '..', 'shared', 'fixtures', chart, 'rendered-defaults.yaml'));
const port = (example: string) => fs.readdirSync(path.join(root, 'examples', example, 'dist'))
  .filter(f => f.endsWith('.k8s.yaml')).flatMap(f => load(path.join(root, 'examples', example, 'dist', f)));
function one(objects: any[], kind: string): any {
  const found = objects.filter(o => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
}

const TEMPLATE = 'spec\\.template\\.spec';
const CONTAINER = `${TEMPLATE}\\.containers\\[[a-z-]+\\]`;

/** What every port changes on purpose, whatever the vendor. */
const LIBRARY_DELTAS: IntendedDelta[] = [
  { path: /(metadata|spec\.template\.metadata)\.labels\..+/, reason: 'the library\'s app.kubernetes.io/{name,component,part-of,managed-by} labels instead of Helm\'s release labels' },
  { path: /spec\.selector\.matchLabels\..+/, reason: 'pods selected by app.kubernetes.io/name and app.kubernetes.io/component' },
  { path: new RegExp(`${TEMPLATE}\\.serviceAccountName`), reason: 'the ServiceAccount is named like the workload (<name>-kubelet-plugin, <name>-controller), the name the guard matches' },
];

/** The page's practices and the library's defaults, added to a vendor's kubelet plugin, one per concern. */
const PLUGIN = {
  linterAnnotations: { path: /metadata\.annotations\.(checkov\.io\/skip\d+|kube-score\/ignore|cdk8s-dra\/kube-score-ignore-reason)/, reason: 'the linters\' own skip annotations, with our reason, for what is the nature of a kubelet plugin (docs/linters.md)' },
  drainAnnotation: { path: /spec\.template\.metadata\.annotations\.cluster-autoscaler\.kubernetes\.io\/enable-ds-eviction/, reason: 'drain late: Cluster Autoscaler leaves the plugin to unprepare devices' },
  drainTolerations: { path: new RegExp(`${TEMPLATE}\\.tolerations\\[(ToBeDeletedByClusterAutoscaler|karpenter\\.sh/disrupted)\\]\\..+`), reason: 'drain late: tolerates the autoscalers\' drain taints' },
  gracePeriod: { path: new RegExp(`${TEMPLATE}\\.terminationGracePeriodSeconds`), reason: 'drain late: 120 s to finish NodeUnprepareResources after SIGTERM' },
  probeGrace: { path: new RegExp(`${CONTAINER}\\.(livenessProbe|startupProbe)\\.terminationGracePeriodSeconds`), reason: '10 s to stop a plugin that failed its probes, not the pod\'s 120 s kept for drains' },
  requests: { path: new RegExp(`${CONTAINER}\\.resources\\.requests\\.(cpu|memory)`), reason: 'requests, so the scheduler keeps room for the plugin on a full node' },
  narrowedMount: { path: new RegExp(`${CONTAINER}\\.volumeMounts\\[(plugins|plugin-data)\\]\\..+`), reason: 'the plugin mounts only <kubelet>/plugins/<driverName>, not every plugin\'s sockets (nor with Bidirectional propagation)' },
  narrowedVolume: { path: new RegExp(`${TEMPLATE}\\.volumes\\[(plugins|plugin-data)\\]\\..+`), reason: 'the plugin directory narrowed to the driver\'s own' },
  typedHostPaths: { path: new RegExp(`${TEMPLATE}\\.volumes\\[(plugins-registry|cdi)\\]\\.hostPath\\.type`), reason: 'typed hostPaths: a missing registry (wrong kubelet root) fails the pod instead of creating an empty directory' },
  healthPort: { path: new RegExp(`${CONTAINER}\\.ports\\[healthcheck\\]\\..+`), reason: 'the health port declared, named and with its protocol' },
  updateStrategy: { path: /spec\.updateStrategy\..+/, reason: 'the update strategy written out in full (maxSurge 0: no seamless upgrade for these drivers)' },
  priority: { path: /spec\.template\.spec\.priorityClassName/, reason: 'system-node-critical: evicted last under node pressure' },
};

const PLUGIN_DELTAS: IntendedDelta[] = [...LIBRARY_DELTAS, ...Object.values(PLUGIN)];

/** What the CPU driver's and dranet's charts share: host network, no key on their toleration, the kubelet dirs under their own volume names. */
const NODE_AGENT_DELTAS: IntendedDelta[] = [
  ...LIBRARY_DELTAS,
  PLUGIN.linterAnnotations, PLUGIN.drainAnnotation, PLUGIN.gracePeriod, PLUGIN.probeGrace, PLUGIN.updateStrategy,
  { path: new RegExp(`${CONTAINER}\\.(livenessProbe|startupProbe)\\.(periodSeconds|failureThreshold)`), reason: 'the library\'s timing where the chart leaves the API server\'s: liveness 3 x 10 s, startup 60 x 5 s (the chart\'s own timing is kept)' },
  { path: new RegExp(`${TEMPLATE}\\.tolerations\\[[0-2]\\]\\..+`), reason: 'drain late: the autoscalers\' drain taints tolerated before the chart\'s keyless toleration (compared by position, having no key)' },
  { path: new RegExp(`${TEMPLATE}\\.dnsPolicy`), reason: 'ClusterFirstWithHostNet: on the host network the plugin still resolves cluster Services' },
  { path: new RegExp(`${CONTAINER}\\.ports\\[[a-z]+\\]\\.(hostPort|protocol)`), reason: 'the host port the API server would default under hostNetwork, and the protocol, written out (no GitOps drift)' },
  { path: new RegExp(`${CONTAINER}\\.env\\[(CDI_ROOT|KUBELET_PLUGINS_DIRECTORY_PATH|KUBELET_REGISTRAR_DIRECTORY_PATH|METRICS_PORT|NAMESPACE|NODE_NAME)\\]\\..+`), reason: 'the variables the library passes to every plugin (the drivers take their flags and ignore them)' },
  { path: new RegExp(`${CONTAINER}\\.volumeMounts\\[(device-plugin|plugin-data)\\]\\..+`), reason: 'the plugin mounts only <kubelet>/plugins/<driverName>, not every plugin\'s sockets' },
  { path: new RegExp(`${TEMPLATE}\\.volumes\\[(device-plugin|plugin-data)\\]\\..+`), reason: 'the plugin directory narrowed to the driver\'s own' },
  { path: new RegExp(`${TEMPLATE}\\.volumes\\[plugins-registry\\]\\.hostPath\\.type`), reason: 'typed hostPaths: a missing registry (wrong kubelet root) fails the pod instead of creating an empty directory' },
];

/**
 * What a port cannot reproduce of its chart, each entry with why it must stay: compared
 * like the deltas, but listed apart (the goal: none).
 */
const NOT_EXPRESSIBLE: { [example: string]: IntendedDelta[] } = {
  'dra-driver-cpu': [
    { path: /metadata\.name/, reason: 'DraDriver names the DaemonSet <name>-kubelet-plugin, like the ServiceAccount, the roles and the guard it matches; the chart names it after the Helm release' },
    { path: new RegExp(`${CONTAINER}\\.volumeMounts\\[(plugin-registry|plugins-registry|cdi-dir|cdi)\\]\\..+|${TEMPLATE}\\.volumes\\[(plugin-registry|plugins-registry|cdi-dir|cdi)\\]\\.(name|hostPath\\.(path|type))`), reason: 'DraDriver\'s own volumes carry its names (plugins-registry, cdi), by which sidecars mount them; the host paths and mount paths are the chart\'s' },
  ],
  'dranet': [
    { path: /metadata\.name/, reason: 'DraDriver names the DaemonSet <name>-kubelet-plugin, like the ServiceAccount, the roles and the guard it matches; the chart names it after the Helm release' },
    { path: new RegExp(`${CONTAINER}\\.volumeMounts\\[(plugin-registry|plugins-registry)\\]\\..+|${TEMPLATE}\\.volumes\\[(plugin-registry|plugins-registry)\\]\\.(name|hostPath\\.path)`), reason: 'DraDriver\'s own volumes carry its names (plugins-registry), by which sidecars mount them; the host and mount paths are the chart\'s' },
    { path: new RegExp(`${CONTAINER}\\.volumeMounts\\[cdi\\]\\..+|${TEMPLATE}\\.volumes\\[cdi\\]\\..+|${CONTAINER}\\.env\\[CDI_ROOT\\]\\..+`), reason: 'DraDriver mounts the CDI directory into every plugin and passes CDI_ROOT: dranet writes no CDI specs, so the mount is unused' },
  ],
};

const PORTS: Array<{ chart: string; example: string; kind: string; deltas: IntendedDelta[] }> = [
  {
    chart: 'intel-gpu-resource-driver',
    example: 'intel-gpu',
    kind: 'DaemonSet',
    deltas: [
      ...PLUGIN_DELTAS,
      { path: new RegExp(`${CONTAINER}\\.env\\[(CDI_ROOT|HEALTHCHECK_PORT|KUBELET_PLUGINS_DIRECTORY_PATH|KUBELET_REGISTRAR_DIRECTORY_PATH|NAMESPACE)\\]\\..+`), reason: 'the variables the library passes to every plugin (the chart passes the health port as --healthcheck-port only)' },
      { path: new RegExp(`${CONTAINER}\\.securityContext\\.allowPrivilegeEscalation`), reason: 'PluginSecurityMode.UNPRIVILEGED also forbids privilege escalation' },
    ],
  },
  {
    chart: 'nvidia-dra-driver-gpu',
    example: 'nvidia-gpu',
    kind: 'DaemonSet',
    deltas: [
      ...PLUGIN_DELTAS.filter(delta => delta !== PLUGIN.priority),
      { path: /metadata\.annotations\.cdk8s-dra\/suppress-DRA013/, reason: 'the chart\'s 100% rollout kept on purpose, reported by DRA013 as suppressed with the chart\'s reason' },
      { path: new RegExp(`${TEMPLATE}\\.containers\\[compute-domains\\]\\.volumeMounts\\[compute-domain-plugin-data\\]\\..+`), reason: 'the ComputeDomain plugin mounts only its own plugin directory' },
      { path: new RegExp(`${TEMPLATE}\\.volumes\\[compute-domain-plugin-data\\]\\..+`), reason: 'the ComputeDomain plugin directory as a volume of its own' },
      { path: new RegExp(`${TEMPLATE}\\.initContainers\\[init-container\\]\\.imagePullPolicy`), reason: 'IfNotPresent written out (the API default for a tagged image)' },
    ],
  },
  {
    chart: 'nvidia-dra-driver-gpu',
    example: 'nvidia-gpu',
    kind: 'Deployment',
    deltas: [
      ...LIBRARY_DELTAS,
      { path: /metadata\.annotations\.resource\.cdk8s-dra\.io\/controller-of/, reason: 'names the driver the Deployment is the controller of' },
      { path: new RegExp(`${TEMPLATE}\\.affinity\\.podAntiAffinity\\..+\\.labelSelector\\.matchLabels\\..+`), reason: 'anti-affinity on the library\'s selector labels' },
      { path: new RegExp(`${CONTAINER}\\.resources\\.requests\\.(cpu|memory)`), reason: 'requests for the controller' },
      { path: new RegExp(`${CONTAINER}\\.securityContext\\..+`), reason: 'the controller only talks to the API server: no privilege escalation, capabilities dropped, seccomp RuntimeDefault' },
    ],
  },
  {
    chart: 'dra-driver-cpu',
    example: 'dra-driver-cpu',
    kind: 'DaemonSet',
    deltas: [
      ...NODE_AGENT_DELTAS,
      { path: /spec\.template\.metadata\.annotations/, reason: 'Helm renders an empty annotations key (null); none is written' },
      { path: new RegExp(`${CONTAINER}\\.startupProbe\\.httpGet\\..+`), reason: 'a startup probe on /healthz: liveness starts once the driver has discovered the CPUs' },
      ...NOT_EXPRESSIBLE['dra-driver-cpu'],
    ],
  },
  {
    chart: 'dranet',
    example: 'dranet',
    kind: 'DaemonSet',
    deltas: [
      ...NODE_AGENT_DELTAS,
      PLUGIN.priority,
      PLUGIN.healthPort,
      { path: new RegExp(`${CONTAINER}\\.livenessProbe\\.httpGet\\..+`), reason: 'a liveness probe on /healthz (DRA001): a hung plugin is restarted and registers again' },
      ...NOT_EXPRESSIBLE.dranet,
    ],
  },
];

describe.each(PORTS)('$example ports $chart: $kind', ({ chart, example, kind, deltas }) => {
  test('differs from the vendor rendering only by the intended deltas, each of which is used', () => {
    const result = unexplained(fieldDifferences(one(vendor(chart), kind), one(port(example), kind)), deltas);
    expect(result.differences).toEqual([]);
    expect(result.unusedDeltas).toEqual([]);
  });
});

test('the delta check fails on a difference outside the list', () => {
  const daemonSet = one(port('intel-gpu'), 'DaemonSet');
  const changed = JSON.parse(JSON.stringify(daemonSet));
  changed.spec.template.spec.containers[0].image = 'ghcr.io/intel/intel-gpu-resource-driver:v0.12.0';
  const differences = unexplained(fieldDifferences(daemonSet, changed), PORTS[0].deltas).differences;
  expect(differences.map(d => d.path)).toEqual(['spec.template.spec.containers[kubelet-plugin].image']);
});

/** `group/resource verb` of every rule of the ClusterRoles (or Roles) bound to the ServiceAccount. */
function grantsOf(objects: any[], serviceAccount: string, bindingKind: string): string[] {
  const roleKind = bindingKind === 'ClusterRoleBinding' ? 'ClusterRole' : 'Role';
  const roles = objects.filter(o => o.kind === bindingKind && o.subjects?.some((s: any) => s.name === serviceAccount))
    .map(b => objects.find(o => o.kind === roleKind && o.metadata.name === b.roleRef.name));
  return [...new Set(roles.flatMap(r => r.rules.flatMap((rule: any) => rule.apiGroups.flatMap((g: string) =>
    rule.resources.flatMap((res: string) => rule.verbs.map((v: string) => `${g}/${res} ${v}`))))))].sort();
}
const diff = (a: string[], b: string[]) => a.filter(x => !b.includes(x));

describe('RBAC: the vendors\' rules, least privilege', () => {
  test('Intel plugin: the same grants but ResourceSlice get and patch, which the helper never calls', () => {
    const theirs = grantsOf(vendor('intel-gpu-resource-driver'), 'intel-gpu-sa', 'ClusterRoleBinding');
    const ours = grantsOf(port('intel-gpu'), 'intel-gpu-resource-driver-kubelet-plugin', 'ClusterRoleBinding');
    expect(diff(ours, theirs)).toEqual([]);
    expect(diff(theirs, ours)).toEqual(['resource.k8s.io/resourceslices get', 'resource.k8s.io/resourceslices patch']);
  });

  test('NVIDIA plugin: claims get only, no ResourceSlice get; the driver\'s own rules as the chart has them', () => {
    const sa = 'nvidia-dra-driver-gpu-dra-driver-nvidia-gpu-service-account-kubeletplugin';
    const theirs = grantsOf(vendor('nvidia-dra-driver-gpu'), sa, 'ClusterRoleBinding');
    const ours = grantsOf(port('nvidia-gpu'), 'dra-driver-nvidia-gpu-kubelet-plugin', 'ClusterRoleBinding');
    expect(diff(ours, theirs)).toEqual([]);
    expect(diff(theirs, ours)).toEqual(['resource.k8s.io/resourceclaims list', 'resource.k8s.io/resourceclaims watch', 'resource.k8s.io/resourceslices get']);
    expect(grantsOf(port('nvidia-gpu'), 'dra-driver-nvidia-gpu-kubelet-plugin', 'RoleBinding'))
      .toEqual(grantsOf(vendor('nvidia-dra-driver-gpu'), sa, 'RoleBinding'));
  });

  test('NVIDIA controller: the same grants, the leader-election lease moved from cluster-wide to its namespace', () => {
    const sa = 'nvidia-dra-driver-gpu-dra-driver-nvidia-gpu-service-account-controller';
    const lease = ['coordination.k8s.io/leases create', 'coordination.k8s.io/leases get', 'coordination.k8s.io/leases update'];
    const theirs = grantsOf(vendor('nvidia-dra-driver-gpu'), sa, 'ClusterRoleBinding');
    const ours = grantsOf(port('nvidia-gpu'), 'dra-driver-nvidia-gpu-controller', 'ClusterRoleBinding');
    expect(diff(ours, theirs)).toEqual([]);
    expect(diff(theirs, ours)).toEqual(lease);
    expect(grantsOf(port('nvidia-gpu'), 'dra-driver-nvidia-gpu-controller', 'RoleBinding'))
      .toEqual([...grantsOf(vendor('nvidia-dra-driver-gpu'), sa, 'RoleBinding'), ...lease].sort());
  });
});

test('NVIDIA\'s ComputeDomain daemon account: the same grants, as plain objects next to DraDriver', () => {
  const sa = 'compute-domain-daemon-service-account';
  expect(grantsOf(port('nvidia-gpu'), sa, 'ClusterRoleBinding')).toEqual(grantsOf(vendor('nvidia-dra-driver-gpu'), sa, 'ClusterRoleBinding'));
  expect(grantsOf(port('nvidia-gpu'), sa, 'ClusterRoleBinding').length).toBeGreaterThan(0);
});

describe('RBAC of the CPU driver and dranet: the charts\' grants exactly, the driver verb limited to the driver\'s name', () => {
  test.each([
    ['dra-driver-cpu', 'dra-driver-cpu', 'dra-driver-cpu', 'dra-driver-cpu-kubelet-plugin', 'dra.cpu'],
    ['dranet', 'dranet', 'dranet-sigs', 'dranet-sigs-kubelet-plugin', 'dra.net'],
  ])('%s', (chart, example, theirAccount, ourAccount, driverName) => {
    const ours = grantsOf(port(example), ourAccount, 'ClusterRoleBinding');
    expect(ours).toEqual(grantsOf(vendor(chart), theirAccount, 'ClusterRoleBinding'));
    const driverRule = port(example).find(o => o.kind === 'ClusterRole' && o.metadata.name === ourAccount)
      .rules.find((r: any) => r.resources.includes('resourceclaims/driver'));
    expect(driverRule.resourceNames).toEqual([driverName]);
  });
});

describe('DeviceClasses: the same names, selecting the same devices', () => {
  const devices = [
    { driver: 'gpu.intel.com', attributes: {} },
    { driver: 'dra.cpu', attributes: {} },
    { driver: 'dra.net', attributes: {} },
    { driver: 'gpu.nvidia.com', attributes: { 'gpu.nvidia.com': { type: 'gpu' } } },
    { driver: 'gpu.nvidia.com', attributes: { 'gpu.nvidia.com': { type: 'mig' } } },
    { driver: 'gpu.nvidia.com', attributes: { 'gpu.nvidia.com': { type: 'vfio' } } },
    { driver: 'compute-domain.nvidia.com', attributes: { 'compute-domain.nvidia.com': { type: 'daemon', id: 0 } } },
    { driver: 'compute-domain.nvidia.com', attributes: { 'compute-domain.nvidia.com': { type: 'channel', id: 0 } } },
    { driver: 'compute-domain.nvidia.com', attributes: { 'compute-domain.nvidia.com': { type: 'channel', id: 1 } } },
  ];
  const selects = (deviceClass: any, device: any) => deviceClass.spec.selectors.every((s: any) => run(s.cel.expression, { device }) === true);

  test.each([['intel-gpu-resource-driver', 'intel-gpu'], ['nvidia-dra-driver-gpu', 'nvidia-gpu'], ['dra-driver-cpu', 'dra-driver-cpu'], ['dranet', 'dranet']])('%s', (chart, example) => {
    const theirs = vendor(chart).filter(o => o.kind === 'DeviceClass');
    const ours = port(example).filter(o => o.kind === 'DeviceClass');
    expect(ours.map(o => o.metadata.name).sort()).toEqual(theirs.map(o => o.metadata.name).sort());
    for (const theirClass of theirs) {
      const ourClass = ours.find(o => o.metadata.name === theirClass.metadata.name);
      expect(devices.map(d => selects(ourClass, d))).toEqual(devices.map(d => selects(theirClass, d)));
    }
  });

  test('NVIDIA\'s gpu.nvidia.com extendedResourceName is left out: 1.34 API servers drop it unless DRAExtendedResource is on', () => {
    expect(vendor('nvidia-dra-driver-gpu').find(o => o.metadata?.name === 'gpu.nvidia.com').spec.extendedResourceName).toBe('nvidia.com/gpu');
    expect(port('nvidia-gpu').filter(o => o.kind === 'DeviceClass').map(o => o.spec.extendedResourceName)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('the good-practice checks', () => {
  const findings = (objects: any[], namespace: string) => DraGoodPractices.checkObjects(objects, { minKubeletVersion: '1.34', defaultNamespace: namespace })
    .findings.map(f => `${f.ruleId} ${f.object.kind} ${f.object.name}`);

  test('report nothing on the ports', () => {
    expect(findings(port('intel-gpu'), 'default')).toEqual([]);
    expect(findings(port('nvidia-gpu'), 'default')).toEqual([]);
    expect(findings(port('dra-driver-cpu'), 'default')).toEqual([]);
    expect(findings(port('dranet'), 'default')).toEqual([]);
  });

  test('report their known findings on the vendor originals', () => {
    expect(findings(vendor('intel-gpu-resource-driver'), 'intel-gpu-resource-driver')).toEqual([
      'DRA003 DaemonSet intel-gpu-resource-driver-kubelet-plugin',
      'DRA004 DaemonSet intel-gpu-resource-driver-kubelet-plugin',
      'DRA011 DaemonSet intel-gpu-resource-driver-kubelet-plugin',
    ]);
    expect(findings(vendor('nvidia-dra-driver-gpu'), 'nvidia-dra-driver-gpu')).toEqual([
      // The guard names "...-service-account", the plugin runs as "...-service-account-kubeletplugin": it never applies.
      'DRA008 ClusterRoleBinding dra-driver-nvidia-gpu-clusterrole-binding-kubeletplugin',
      // The plugin may list and watch every claim and write every claim's status (1.34: no node limit).
      'DRA014 ClusterRoleBinding dra-driver-nvidia-gpu-clusterrole-binding-kubeletplugin',
      'DRA004 DaemonSet dra-driver-nvidia-gpu-kubelet-plugin',
      'DRA011 DaemonSet dra-driver-nvidia-gpu-kubelet-plugin',
      // maxUnavailable 100% without seamless upgrade: every node loses its plugin at once.
      'DRA013 DaemonSet dra-driver-nvidia-gpu-kubelet-plugin',
    ]);
  });

  test('the NVIDIA port\'s guard matches the plugin and the controller it runs', () => {
    const policy = one(port('nvidia-gpu'), 'ValidatingAdmissionPolicy');
    expect(policy.spec.matchConditions[0].expression).toBe('request.userInfo.username in ['
      + '"system:serviceaccount:nvidia-dra-driver-gpu:dra-driver-nvidia-gpu-kubelet-plugin", '
      + '"system:serviceaccount:nvidia-dra-driver-gpu:dra-driver-nvidia-gpu-controller"]');
  });
});
