/**
 * What real drivers need from DraDriver (issue 19): each test here fails on the DraDriver
 * that only fitted the example driver (fixed gRPC probe, no host mounts, namespaces or
 * sidecars, claim status granted to every plugin, no controller).
 */
import * as fs from 'fs';
import * as path from 'path';
import { JsonPatch } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { attempt, BASE_PROPS, pluginContainer, synthDriver } from './support';
import { DraDriver, DraGoodPractices, DriverProbe, DriverSecurityContext, DriverUpgrade, PluginSecurityMode } from '../../src';
import { findObject, findObjects, synthValid, testChart } from '../support/harness';

const envNames = (container: any) => container.env.map((e: any) => e.name);

describe('probe choice (review finding 1: the gRPC probe could not be changed or turned off)', () => {
  test('gRPC by default: port 51515, service liveness, and HEALTHCHECK_PORT for the helper', () => {
    const container = pluginContainer(synthDriver().objects);
    expect(container.livenessProbe.grpc).toEqual({ port: 51515, service: 'liveness' });
    expect(container.env).toContainEqual({ name: 'HEALTHCHECK_PORT', value: '51515' });
  });

  test('a gRPC probe on another service name', () => {
    const container = pluginContainer(synthDriver({ probe: DriverProbe.grpc({ port: 51516, service: 'health' }) }).objects);
    expect(container.livenessProbe.grpc).toEqual({ port: 51516, service: 'health' });
    expect(container.startupProbe.grpc).toEqual({ port: 51516, service: 'health' });
  });

  test('HTTP GET (dranet\'s /healthz): liveness and startup on the path and port, no HEALTHCHECK_PORT', () => {
    const container = pluginContainer(synthDriver({ probe: DriverProbe.httpGet({ port: 9177 }) }).objects);
    expect(container.livenessProbe).toEqual({ httpGet: { path: '/healthz', port: 9177 }, periodSeconds: 10, failureThreshold: 3, terminationGracePeriodSeconds: 10 });
    expect(container.startupProbe).toEqual({ httpGet: { path: '/healthz', port: 9177 }, periodSeconds: 5, failureThreshold: 60, terminationGracePeriodSeconds: 10 });
    expect(container.ports).toContainEqual({ name: 'healthcheck', containerPort: 9177, protocol: 'TCP' });
    expect(envNames(container)).not.toContain('HEALTHCHECK_PORT');
  });

  test('none with a reason: no probes, no health port, and the reason as DRA001\'s suppression on the DaemonSet', () => {
    const reason = 'this driver version serves no health endpoint (intel-resource-drivers v0.5)';
    const { objects } = synthDriver({ probe: DriverProbe.none(reason) });
    const daemonSet = findObject(objects, 'DaemonSet');
    const container = daemonSet.spec.template.spec.containers[0];
    expect(container.livenessProbe).toBeUndefined();
    expect(container.startupProbe).toBeUndefined();
    expect(container.ports).toBeUndefined();
    expect(envNames(container)).not.toContain('HEALTHCHECK_PORT');
    expect(daemonSet.metadata.annotations).toMatchObject({ 'cdk8s-dra/suppress-DRA001': reason });
    expect(Object.keys(daemonSet.metadata.annotations).filter(key => key.startsWith('cdk8s-dra/suppress-'))).toEqual(['cdk8s-dra/suppress-DRA001']);
    const report = DraGoodPractices.checkObjects(objects, { minKubeletVersion: '1.34' });
    expect(report.findings.map(f => f.ruleId)).not.toContain('DRA001');
    expect(report.suppressed.map(s => [s.finding.ruleId, s.reason])).toEqual([['DRA001', reason]]);
  });

  test('without the annotation the checks report the probe-less plugin', () => {
    const chart = testChart();
    const driver = new DraDriver(chart, 'gpu', { ...BASE_PROPS, probe: DriverProbe.none('no health endpoint') });
    driver.daemonSet.addJsonPatch(JsonPatch.remove('/metadata/annotations'));
    const report = DraGoodPractices.checkObjects(synthValid(chart), { minKubeletVersion: '1.34' });
    expect(report.findings.map(f => f.ruleId)).toContain('DRA001');
  });

  test('bad probes are refused', () => {
    expect(attempt({ probe: DriverProbe.none('  ') }).message).toBe("DraDriver 'gpu' (test/gpu): probe.reason '  ' must say why the container has no probe");
    expect(attempt({ probe: DriverProbe.httpGet({ port: 8080, path: 'healthz' }) }).message)
      .toBe("DraDriver 'gpu' (test/gpu): probe.path 'healthz' must be an absolute URL path without whitespace");
    expect(attempt({ probe: DriverProbe.grpc({ service: 'live ness' }) }).message).toContain("probe.service 'live ness' must be a gRPC service name");
    expect(attempt({ probe: DriverProbe.grpc({ port: 8080 }), metricsPort: 8080 }).message).toContain('metricsPort 8080 is the gRPC health port');
    // Without a probe, any metrics port is free.
    expect(attempt({ probe: DriverProbe.none('none served'), metricsPort: 51515 }).message).toBe('');
  });
});

describe('what real plugins need (review finding 2: no host mounts, namespaces, init containers or sidecars)', () => {
  const sysfs = { name: 'sysfs', hostPath: { path: '/sys', type: 'Directory' } };

  test('extra volumes and mounts: hostPath with type moved inside the container, readOnly, propagation, emptyDir, ConfigMap, Secret', () => {
    const { objects } = synthDriver({
      volumes: [
        sysfs,
        { name: 'etc-cdi', hostPath: { path: '/etc/cdi', type: 'DirectoryOrCreate' } },
        { name: 'scratch', emptyDir: {} },
        { name: 'config', configMap: { name: 'gpu-config' } },
        { name: 'token', secret: { secretName: 'gpu-token' } },
      ],
      volumeMounts: [
        { name: 'sysfs', mountPath: '/sysfs', readOnly: true },
        { name: 'etc-cdi', mountPath: '/etc/cdi', mountPropagation: 'HostToContainer' },
        { name: 'scratch', mountPath: '/tmp' },
        { name: 'config', mountPath: '/etc/gpu', readOnly: true },
        { name: 'token', mountPath: '/var/run/secrets/gpu', readOnly: true },
      ],
    });
    const spec = findObject(objects, 'DaemonSet').spec.template.spec;
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['plugins-registry', 'plugin-data', 'cdi', 'sysfs', 'etc-cdi', 'scratch', 'config', 'token']);
    expect(spec.volumes[3]).toEqual(sysfs);
    expect(spec.containers[0].volumeMounts.slice(3)).toEqual([
      { name: 'sysfs', mountPath: '/sysfs', readOnly: true },
      { name: 'etc-cdi', mountPath: '/etc/cdi', mountPropagation: 'HostToContainer' },
      { name: 'scratch', mountPath: '/tmp' },
      { name: 'config', mountPath: '/etc/gpu', readOnly: true },
      { name: 'token', mountPath: '/var/run/secrets/gpu', readOnly: true },
    ]);
  });

  test('hostNetwork with ClusterFirstWithHostNet and host ports, hostPID, pod securityContext, pull secrets, pod labels and annotations', () => {
    const { objects } = synthDriver({
      hostNetwork: true,
      hostPID: true,
      metricsPort: 9090,
      podSecurityContext: { seLinuxOptions: { type: 'spc_t' } },
      imagePullSecrets: ['registry-credentials'],
      podLabels: { 'example.com/team': 'network' },
      podAnnotations: { 'example.com/owner': 'network-team' },
    });
    const template = findObject(objects, 'DaemonSet').spec.template;
    expect(template.spec).toMatchObject({
      hostNetwork: true,
      dnsPolicy: 'ClusterFirstWithHostNet',
      hostPID: true,
      securityContext: { seLinuxOptions: { type: 'spc_t' } },
      imagePullSecrets: [{ name: 'registry-credentials' }],
    });
    expect(template.spec.containers[0].ports).toEqual([
      { name: 'healthcheck', containerPort: 51515, hostPort: 51515, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, hostPort: 9090, protocol: 'TCP' },
    ]);
    expect(template.metadata.labels).toMatchObject({ 'example.com/team': 'network', 'app.kubernetes.io/component': 'kubelet-plugin' });
    expect(template.metadata.annotations).toEqual({ 'cluster-autoscaler.kubernetes.io/enable-ds-eviction': 'false', 'example.com/owner': 'network-team' });
  });

  test('without hostNetwork, no dnsPolicy, hostPID or host ports are written', () => {
    const spec = findObject(synthDriver().objects, 'DaemonSet').spec.template.spec;
    expect(spec.hostNetwork).toBeUndefined();
    expect(spec.dnsPolicy).toBeUndefined();
    expect(spec.hostPID).toBeUndefined();
    expect(spec.containers[0].ports[0].hostPort).toBeUndefined();
  });

  test('init containers and more containers, each with image, command, args, env, mounts, securityContext, probe, resources', () => {
    const { objects } = synthDriver({
      volumes: [{ name: 'driver-root', hostPath: { path: '/', type: 'Directory' } }],
      initContainers: [{
        name: 'wait-for-driver',
        image: 'registry.example.com/gpu-kubelet-plugin:v1.2.3',
        command: ['bash', '/usr/bin/prestart.sh'],
        env: [{ name: 'DRIVER_ROOT', value: '/driver-root' }],
        volumeMounts: [{ name: 'driver-root', mountPath: '/driver-root', readOnly: true }],
        securityContext: DriverSecurityContext.privileged(),
      }],
      containers: [{
        name: 'second-plugin',
        image: 'registry.example.com/other-plugin:v1',
        args: ['--v=4'],
        env: [{ name: 'HEALTHCHECK_PORT', value: '51516' }],
        volumeMounts: [
          { name: 'plugins-registry', mountPath: '/var/lib/kubelet/plugins_registry' },
          { name: 'driver-root', mountPath: '/driver-root', mountPropagation: 'HostToContainer' },
        ],
        securityContext: DriverSecurityContext.privileged(),
        probe: DriverProbe.grpc({ port: 51516 }),
        resources: { requests: { cpu: { value: '10m' } as any } },
      }],
    });
    const spec = findObject(objects, 'DaemonSet').spec.template.spec;
    expect(spec.initContainers).toEqual([{
      name: 'wait-for-driver',
      image: 'registry.example.com/gpu-kubelet-plugin:v1.2.3',
      imagePullPolicy: 'IfNotPresent',
      command: ['bash', '/usr/bin/prestart.sh'],
      env: [{ name: 'DRIVER_ROOT', value: '/driver-root' }],
      volumeMounts: [{ name: 'driver-root', mountPath: '/driver-root', readOnly: true }],
      securityContext: { privileged: true },
    }]);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['plugin', 'second-plugin']);
    expect(spec.containers[1]).toMatchObject({
      args: ['--v=4'],
      livenessProbe: { grpc: { port: 51516, service: 'liveness' } },
      startupProbe: { grpc: { port: 51516, service: 'liveness' } },
      resources: { requests: { cpu: '10m' } },
    });
  });

  test.each<[string, any, string]>([
    ['a mount of an unknown volume', { volumeMounts: [{ name: 'sysfs', mountPath: '/sys' }] },
      "volumeMounts[3].name 'sysfs' must name a volume of the pod (plugins-registry, plugin-data, cdi)"],
    ['a volume named like DraDriver\'s own', { volumes: [{ name: 'cdi', hostPath: { path: '/etc/cdi' } }] },
      "volumes[0].name 'cdi' is a volume of DraDriver itself (plugins-registry, plugin-data, cdi, kube-api-access); mount it by that name instead"],
    ['a volume with two sources', { volumes: [{ name: 'x', emptyDir: {}, hostPath: { path: '/x' } }] },
      'volumes[0] ["emptyDir","hostPath"] must have exactly one source, one of hostPath, emptyDir, configMap, secret'],
    ['an unsupported volume source', { volumes: [{ name: 'x', nfs: { server: 'nfs', path: '/x' } }] },
      'volumes[0] ["nfs"] must have exactly one source, one of hostPath, emptyDir, configMap, secret'],
    ['an unknown hostPath type', { volumes: [{ name: 'x', hostPath: { path: '/x', type: 'Dir' } }] },
      "volumes[0].hostPath.type 'Dir' must be one of DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice, BlockDevice"],
    ['a relative hostPath', { volumes: [{ name: 'x', hostPath: { path: 'sys' } }] },
      "volumes[0].hostPath.path 'sys' must be an absolute path without \"..\" or whitespace"],
    ['two volumes of one name', { volumes: [{ name: 'x', emptyDir: {} }, { name: 'x', emptyDir: {} }] },
      "volumes[1].name 'x' is used by an earlier volume: volume names must be unique"],
    ['a kubelet directory mounted elsewhere', {
      volumes: [{ name: 'plugins', hostPath: { path: '/var/lib/kubelet/plugins' } }],
      volumeMounts: [{ name: 'plugins', mountPath: '/plugins' }],
    }, "volumeMounts[3].mountPath '/plugins' must be the host path /var/lib/kubelet/plugins of volume 'plugins' (without subPath): paths under /var/lib/kubelet are passed to the kubelet and the container runtime, which read them on the host"],
    ['a CDI directory mounted elsewhere by a sidecar', {
      containers: [{ name: 'side', image: 'side:v1', volumeMounts: [{ name: 'cdi', mountPath: '/cdi' }] }],
    }, "containers[0].volumeMounts[0].mountPath '/cdi' must be the host path /var/run/cdi of volume 'cdi' (without subPath)"],
    ['Bidirectional propagation in the unprivileged plugin', {
      securityMode: PluginSecurityMode.UNPRIVILEGED,
      volumes: [{ name: 'run', hostPath: { path: '/run/netns' } }],
      volumeMounts: [{ name: 'run', mountPath: '/run/netns', mountPropagation: 'Bidirectional' }],
    }, "volumeMounts[3].mountPropagation 'Bidirectional' needs a privileged container"],
    ['two mounts at one path', {
      volumes: [{ name: 'a', emptyDir: {} }],
      volumeMounts: [{ name: 'a', mountPath: '/var/run/cdi' }],
    }, "volumeMounts[3].mountPath '/var/run/cdi' is already mounted by volumeMounts[2]"],
    ['a container named like the plugin', { containers: [{ name: 'plugin', image: 'x:v1' }] },
      "containers[0].name 'plugin' is the name of another container of the pod: container names must be unique"],
    ['a probe on an init container', { initContainers: [{ name: 'init', image: 'x:v1', probe: DriverProbe.grpc() }] },
      "initContainers[0].probe 'grpc' is not allowed on an init container"],
    ['a sidecar without an image', { containers: [{ name: 'side', image: ' ' }] },
      "containers[0].image ' ' must be a container image reference"],
    ['a sidecar env set twice', { containers: [{ name: 'side', image: 'x:v1', env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] }] },
      "containers[0].env[1].name 'A' is already set by containers[0].env[0]"],
    ['a bad pull secret', { imagePullSecrets: ['Registry_Creds'] },
      "imagePullSecrets[0] 'Registry_Creds' must be the name of a Secret (a DNS subdomain)"],
    ['a pod label that would change the selector', { podLabels: { 'app.kubernetes.io/component': 'x' } },
      "podLabels key 'app.kubernetes.io/component' is a selector label DraDriver sets: changing it would orphan the pods"],
    ['the drain annotation while drain-late is on', { podAnnotations: { 'cluster-autoscaler.kubernetes.io/enable-ds-eviction': 'true' } },
      "podAnnotations key 'cluster-autoscaler.kubernetes.io/enable-ds-eviction' is set by drainLateTolerations"],
  ])('refuses %s', (_, props, message) => {
    const result = attempt(props);
    expect(result.message).toContain(`DraDriver 'gpu' (test/gpu): ${message}`);
    expect(result.objects).toEqual([]);
  });

  test('hostNetwork with a seamless upgrade is refused: both pods would bind the same ports; accepted when acknowledged', () => {
    const seamless = { hostNetwork: true, upgrade: DriverUpgrade.seamless(), minKubeletVersion: '1.34' };
    const { message, objects } = attempt(seamless);
    expect(message).toContain("DraDriver 'gpu' (test/gpu): hostNetwork true with a seamless upgrade runs the old and the new pod side by side in the node's network namespace");
    expect(objects).toEqual([]);
    expect(attempt({ ...seamless, hostNetworkPortsShared: true }).message).toBe('');
    expect(attempt({ hostNetwork: true }).message).toBe('');
  });
});

describe('least-privilege kubelet-plugin RBAC (review finding 3: claims list/watch and status update for every node)', () => {
  const rulesOf = (objects: any[]) => findObject(objects, 'ClusterRole').rules;

  test('by default: resourceclaims get only, no claim status, ResourceSlices without get/patch, nodes get', () => {
    expect(rulesOf(synthDriver().objects)).toEqual([
      { apiGroups: ['resource.k8s.io'], resources: ['resourceclaims'], verbs: ['get'] },
      { apiGroups: ['resource.k8s.io'], resources: ['resourceslices'], verbs: ['list', 'watch', 'create', 'update', 'delete'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
    ]);
  });

  test('writesDeviceStatus adds resourceclaims/status update and patch and the 1.36 associated-node verbs, limited to the driver', () => {
    const rules = rulesOf(synthDriver({ writesDeviceStatus: true }).objects);
    expect(rules).toContainEqual({ apiGroups: ['resource.k8s.io'], resources: ['resourceclaims/status'], verbs: ['update', 'patch'] });
    expect(rules).toContainEqual({
      apiGroups: ['resource.k8s.io'],
      resources: ['resourceclaims/driver'],
      resourceNames: ['gpu.example.com'],
      verbs: ['associated-node:update', 'associated-node:patch'],
    });
  });

  test('driver-specific rules: cluster-wide in the ClusterRole, namespaced in a Role bound in the driver namespace', () => {
    const computeDomains = { apiGroups: ['resource.nvidia.com'], resources: ['computedomains'], verbs: ['get', 'list', 'watch'] };
    const cliques = { apiGroups: ['resource.nvidia.com'], resources: ['computedomaincliques'], verbs: ['get'] };
    const { driver, objects } = synthDriver({ pluginClusterRules: [computeDomains], pluginNamespaceRules: [cliques] });
    expect(rulesOf(objects)).toContainEqual(computeDomains);
    expect(findObject(objects, 'Role').rules).toEqual([cliques]);
    expect(findObject(objects, 'Role').metadata.namespace).toBe(driver.namespace);
    expect(findObject(objects, 'RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: driver.serviceAccountName, namespace: driver.namespace }]);
    expect(attempt({ pluginClusterRules: [{ apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }] }).message)
      .toContain('pluginClusterRules[0].apiGroups ["*"] must name each entry');
    expect(attempt({ pluginNamespaceRules: [{ apiGroups: [''], resources: ['pods'], verbs: [] }] }).message)
      .toContain('pluginNamespaceRules[0].verbs [] must be a non-empty list');
  });
});

describe('a driver controller (Deployment, own ServiceAccount and rules, node-less slices only)', () => {
  const controller = {
    image: 'registry.example.com/gpu-controller:v1.2.3',
    args: ['--v=2'],
    publishesResourceSlices: true,
    clusterRules: [{ apiGroups: ['gpu.example.com'], resources: ['gpuclusters'], verbs: ['get', 'list', 'watch'] }],
    namespaceRules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] }],
  };

  test('a Deployment with its own ServiceAccount, ClusterRole with slice writes, Role, and the driver annotation', () => {
    const { driver, objects } = synthDriver({ controller });
    const deployment = findObject(objects, 'Deployment');
    expect(deployment.metadata.name).toBe('gpu-example-com-controller');
    expect(deployment.metadata.annotations).toEqual({ 'resource.cdk8s-dra.io/controller-of': 'gpu.example.com' });
    expect(deployment.spec.template.spec.serviceAccountName).toBe('gpu-example-com-controller');
    expect(deployment.spec.template.spec.priorityClassName).toBe('system-cluster-critical');
    expect(deployment.spec.template.spec.containers[0]).toMatchObject({ image: controller.image, args: ['--v=2'] });
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'gpu-example-com', 'app.kubernetes.io/component': 'controller' });
    expect(driver.controllerServiceAccount!.name).toBe('gpu-example-com-controller');
    const role = findObject(objects, 'ClusterRole', 'gpu-example-com-controller');
    expect(role.rules).toEqual([
      { apiGroups: ['resource.k8s.io'], resources: ['resourceslices'], verbs: ['list', 'watch', 'create', 'update', 'delete'] },
      controller.clusterRules[0],
    ]);
    expect(findObject(objects, 'Role', 'gpu-example-com-controller').rules).toEqual(controller.namespaceRules);
    expect(findObjects(objects, 'ClusterRoleBinding').map(b => b.subjects[0].name)).toEqual(['gpu-example-com-kubelet-plugin', 'gpu-example-com-controller']);
  });

  test('the guard matches both accounts: the plugin stays on its node, the controller writes only slices without a node', () => {
    const policy = findObject(synthDriver({ controller }).objects, 'ValidatingAdmissionPolicy').spec;
    const plugin = 'system:serviceaccount:gpu-example-com:gpu-example-com-kubelet-plugin';
    const ctrl = 'system:serviceaccount:gpu-example-com:gpu-example-com-controller';
    expect(policy.matchConditions).toEqual([{ name: 'isKubeletPluginServiceAccount', expression: `request.userInfo.username in ["${plugin}", "${ctrl}"]` }]);
    expect(policy.variables[0]).toEqual({ name: 'isController', expression: `request.userInfo.username == "${ctrl}"` });
    expect(policy.validations.map((v: any) => v.expression)).toEqual([
      'variables.isController || variables.userNodeName != ""',
      'variables.isController || variables.userNodeName == variables.objectNodeName',
      '!variables.isController || variables.objectNodeName == ""',
    ]);
  });

  test('the checks know the controller as the driver\'s: its cluster-wide grants and slice writes are not findings', () => {
    const { objects } = synthDriver({
      controller: { ...controller, clusterRules: [{ apiGroups: ['resource.k8s.io'], resources: ['resourceclaimtemplates'], verbs: ['get', 'create', 'delete'] }] },
    });
    const report = DraGoodPractices.checkObjects(objects, { minKubeletVersion: '1.34' });
    const rbacRules = ['DRA005', 'DRA006', 'DRA007', 'DRA008'];
    expect(report.findings.filter(f => rbacRules.includes(f.ruleId)).map(f => `${f.ruleId} ${f.object.kind} ${f.object.name}`)).toEqual([]);
    // With a guard that names another account instead, the same grants are findings.
    // (and no Deployment runs as the account, which the checks would recognise as the driver's controller by its shape)
    const elsewhere = JSON.parse(JSON.stringify(objects.filter(o => o.kind !== 'Deployment')).split('system:serviceaccount:gpu-example-com:gpu-example-com-controller')
      .join('system:serviceaccount:elsewhere:someone'));
    expect(DraGoodPractices.checkObjects(elsewhere, { minKubeletVersion: '1.34' }).findings.map(f => f.ruleId)).toEqual(expect.arrayContaining(['DRA005', 'DRA006']));
  });

  test('bad controller input is refused', () => {
    expect(attempt({ controller: { image: '' } }).message).toContain("controller.image '' must be a container image reference");
    expect(attempt({ controller: { image: 'c:v1', replicas: 0 } }).message).toContain('controller.replicas 0 must be a positive whole number');
    expect(attempt({ controller: { image: 'c:v1', clusterRules: [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }] } }).message)
      .toContain('controller.clusterRules[0].resources ["*"] must name each entry');
  });
});

describe('objects exposed for patching (no private construct ids needed)', () => {
  test('daemonSet, deviceClasses, metricsService, serviceMonitor, clusterRole, resourceSliceGuard', () => {
    const chart = testChart();
    const driver = new DraDriver(chart, 'gpu', { ...BASE_PROPS, metricsPort: 8080, deviceClasses: [{ name: 'a.example.com' }, { name: 'b.example.com' }] });
    driver.daemonSet.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/workingDir', '/work'));
    driver.deviceClasses[1].metadata.addLabel('example.com/tier', 'gold');
    driver.metricsService!.metadata.addAnnotation('example.com/scrape', 'true');
    const objects = synthValid(chart);
    expect(findObject(objects, 'DaemonSet').spec.template.spec.containers[0].workingDir).toBe('/work');
    expect(findObject(objects, 'DeviceClass', 'b.example.com').metadata.labels['example.com/tier']).toBe('gold');
    expect(findObject(objects, 'Service').metadata.annotations).toEqual({ 'example.com/scrape': 'true' });
    expect(driver.serviceMonitor!.name).toBe(driver.metricsJob);
    expect(driver.clusterRole.name).toBe(driver.clusterRoleName);
    expect(driver.resourceSliceGuard.policyName).toBe(driver.admissionPolicyName);
  });
});

test('the NIC plugin of examples/gpu-nic-k3s has what a NIC driver needs: host network, netns, NRI, bpffs', () => {
  const dist = path.resolve(__dirname, '..', '..', 'examples', 'gpu-nic-k3s', 'dist', 'dra.k8s.yaml');
  const objects = parseAllDocuments(fs.readFileSync(dist, 'utf-8')).map(d => d.toJSON()).filter(o => o);
  const nic = objects.find(o => o.kind === 'DaemonSet' && o.metadata.namespace === 'dra-nic').spec.template.spec;
  expect(nic.hostNetwork).toBe(true);
  expect(nic.dnsPolicy).toBe('ClusterFirstWithHostNet');
  const hostPaths = Object.fromEntries(nic.volumes.map((v: any) => [v.name, v.hostPath?.path]));
  const mounts = nic.containers[0].volumeMounts.map((m: any) => [hostPaths[m.name], m.mountPath, m.mountPropagation]);
  expect(mounts).toEqual(expect.arrayContaining([
    ['/var/run/netns', '/var/run/netns', 'HostToContainer'],
    ['/var/run/nri', '/var/run/nri', undefined],
    ['/sys/fs/bpf', '/sys/fs/bpf', 'HostToContainer'],
  ]));
  expect(objects.find(o => o.kind === 'DaemonSet' && o.metadata.namespace === 'dra-nic').spec.updateStrategy.rollingUpdate.maxSurge).toBe(0);
});
