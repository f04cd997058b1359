import { Testing } from 'cdk8s';
import { k8s, PercentOrAbsolute, Role, RoleBinding } from 'cdk8s-plus-28';
import { attempt, BASE_PROPS, pluginContainer, synthDriver } from './support';
import { DraDriver, DraGoodPractices, DriverProbe, DriverUpgrade, IDraDriver, PluginSecurityMode } from '../../src';
import { kubeletPluginRules } from '../../src/rbac/kubelet-plugin-rules';
import { findObject, findObjects, synthValid, testChart } from '../support/harness';

function envOf(objects: any[]): { [name: string]: any } {
  return Object.fromEntries(pluginContainer(objects).env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
}

describe('DraDriver objects', () => {
  test('makes a privileged-labelled namespace, ServiceAccount, RBAC, guard, DaemonSet and DeviceClass, all with standard labels', () => {
    const { objects } = synthDriver();
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/gpu-example-com',
      'ServiceAccount/gpu-example-com-kubelet-plugin',
      'ClusterRole/gpu-example-com-kubelet-plugin',
      'ClusterRoleBinding/gpu-example-com-kubelet-plugin',
      'ValidatingAdmissionPolicy/gpu-example-com-resourceslices',
      'ValidatingAdmissionPolicyBinding/gpu-example-com-resourceslices',
      'DaemonSet/gpu-example-com-kubelet-plugin',
      'DeviceClass/gpu.example.com',
    ]);
    // hostPath volumes are forbidden by the baseline and restricted Pod Security levels.
    expect(findObject(objects, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    for (const obj of objects) {
      expect(obj.metadata.labels).toMatchObject({
        'app.kubernetes.io/name': 'gpu-example-com',
        'app.kubernetes.io/part-of': 'cdk8s-dra',
        'app.kubernetes.io/managed-by': 'cdk8s',
      });
    }
  });

  test('exposes the names it made, as IDraDriver', () => {
    const { driver, objects } = synthDriver({ namespace: 'dra-gpu', metricsPort: 8080 });
    const asContract: IDraDriver = driver;
    expect(asContract.namespace).toBe('dra-gpu');
    expect(findObject(objects, 'DaemonSet', driver.daemonSetName).metadata.namespace).toBe('dra-gpu');
    expect(findObject(objects, 'ServiceAccount', driver.serviceAccountName).metadata.namespace).toBe('dra-gpu');
    expect(findObject(objects, 'ClusterRole', driver.clusterRoleName)).toBeDefined();
    expect(findObject(objects, 'ValidatingAdmissionPolicy', driver.admissionPolicyName)).toBeDefined();
    expect(driver.deviceClassNames).toEqual(['gpu.example.com']);
    expect(driver.serviceAccount.name).toBe(driver.serviceAccountName);
    expect(findObject(objects, 'DaemonSet').spec.selector.matchLabels).toEqual(driver.podSelectorLabels);
    expect(findObject(objects, 'DaemonSet').spec.template.metadata.labels).toMatchObject(driver.podSelectorLabels);
  });

  test('createNamespace false leaves the namespace to the user', () => {
    const { objects } = synthDriver({ createNamespace: false, namespace: 'kube-system' });
    expect(findObjects(objects, 'Namespace')).toHaveLength(0);
    expect(findObject(objects, 'DaemonSet').metadata.namespace).toBe('kube-system');
  });

  test('the ServiceAccount mounts its token and can be bound to more roles', () => {
    const chart = testChart();
    const driver = new DraDriver(chart, 'gpu', BASE_PROPS);
    const role = new Role(chart, 'extra', { metadata: { name: 'extra', namespace: driver.namespace } });
    new RoleBinding(chart, 'extra-binding', { metadata: { name: 'extra', namespace: driver.namespace }, role }).addSubjects(driver.serviceAccountSubject);
    const objects = synthValid(chart);
    expect(findObject(objects, 'ServiceAccount').automountServiceAccountToken).toBe(true);
    expect(findObject(objects, 'RoleBinding').subjects).toEqual([
      { kind: 'ServiceAccount', name: driver.serviceAccountName, namespace: driver.namespace, apiGroup: '' },
    ]);
  });

  test('same input gives byte-identical YAML', () => {
    const render = () => Testing.synth((() => {
      const chart = testChart();
      new DraDriver(chart, 'gpu', { ...BASE_PROPS, metricsPort: 8080, upgrade: DriverUpgrade.seamless(), minKubeletVersion: '1.34' });
      return chart;
    })());
    expect(JSON.stringify(render())).toEqual(JSON.stringify(render()));
  });
});

describe('DaemonSet', () => {
  test('mounts registration, plugin data and CDI dirs at the same path inside and out', () => {
    const { objects } = synthDriver();
    const spec = findObject(objects, 'DaemonSet').spec.template.spec;
    const hostPaths = Object.fromEntries(spec.volumes.map((v: any) => [v.name, v.hostPath.path]));
    const mounts = pluginContainer(objects).volumeMounts;
    expect(mounts.map((m: any) => m.mountPath)).toEqual([
      '/var/lib/kubelet/plugins_registry',
      '/var/lib/kubelet/plugins/gpu.example.com',
      '/var/run/cdi',
    ]);
    for (const mount of mounts) {
      expect(hostPaths[mount.name]).toBe(mount.mountPath);
    }
    // A missing registry means a wrong kubeletRootDir: Directory makes the pod fail instead of creating it.
    expect(spec.volumes.map((v: any) => v.hostPath.type)).toEqual(['Directory', 'DirectoryOrCreate', 'DirectoryOrCreate']);
  });

  test('kubeletRootDir and cdiDir move the mounts and the env that tells the driver', () => {
    const { objects } = synthDriver({ kubeletRootDir: '/var/lib/k0s/kubelet/', cdiDir: '/etc/cdi' });
    expect(pluginContainer(objects).volumeMounts.map((m: any) => m.mountPath)).toEqual([
      '/var/lib/k0s/kubelet/plugins_registry',
      '/var/lib/k0s/kubelet/plugins/gpu.example.com',
      '/etc/cdi',
    ]);
    expect(envOf(objects)).toMatchObject({
      KUBELET_REGISTRAR_DIRECTORY_PATH: '/var/lib/k0s/kubelet/plugins_registry',
      KUBELET_PLUGINS_DIRECTORY_PATH: '/var/lib/k0s/kubelet/plugins',
      CDI_ROOT: '/etc/cdi',
    });
  });

  test('env carries node name, namespace and ports from the downward API and props', () => {
    const { objects } = synthDriver({ probe: DriverProbe.grpc({ port: 51516 }), metricsPort: 9400, env: [{ name: 'DEVICE_PROFILE', value: 'gpu' }] });
    expect(envOf(objects)).toEqual({
      NODE_NAME: { fieldRef: { fieldPath: 'spec.nodeName' } },
      NAMESPACE: { fieldRef: { fieldPath: 'metadata.namespace' } },
      HEALTHCHECK_PORT: '51516',
      METRICS_PORT: '9400',
      KUBELET_REGISTRAR_DIRECTORY_PATH: '/var/lib/kubelet/plugins_registry',
      KUBELET_PLUGINS_DIRECTORY_PATH: '/var/lib/kubelet/plugins',
      CDI_ROOT: '/var/run/cdi',
      DEVICE_PROFILE: 'gpu',
    });
  });

  test('gRPC liveness and startup probes on the health port, service liveness', () => {
    const { objects } = synthDriver({ probe: DriverProbe.grpc({ port: 51516 }) });
    const container = pluginContainer(objects);
    expect(container.livenessProbe).toEqual({ grpc: { port: 51516, service: 'liveness' }, periodSeconds: 10, failureThreshold: 3, terminationGracePeriodSeconds: 10 });
    // Five minutes (5 s x 60) of hardware discovery before liveness applies.
    expect(container.startupProbe).toEqual({ grpc: { port: 51516, service: 'liveness' }, periodSeconds: 5, failureThreshold: 60, terminationGracePeriodSeconds: 10 });
    expect(container.ports).toContainEqual({ name: 'healthcheck', containerPort: 51516, protocol: 'TCP' });
  });

  test('system-node-critical and resource requests by default; both configurable', () => {
    const defaults = synthDriver().objects;
    expect(findObject(defaults, 'DaemonSet').spec.template.spec.priorityClassName).toBe('system-node-critical');
    expect(pluginContainer(defaults).resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' } });

    const custom = synthDriver({
      priorityClassName: 'dra-drivers',
      resources: { requests: { cpu: k8s.Quantity.fromString('200m') }, limits: { memory: k8s.Quantity.fromString('1Gi') } },
    }).objects;
    expect(findObject(custom, 'DaemonSet').spec.template.spec.priorityClassName).toBe('dra-drivers');
    expect(pluginContainer(custom).resources).toEqual({ requests: { cpu: '200m' }, limits: { memory: '1Gi' } });
  });

  test('privileged by default, as the upstream charts', () => {
    expect(pluginContainer(synthDriver().objects).securityContext).toEqual({ privileged: true });
  });

  test('unprivileged mode runs as root (for the root-owned plugin dirs) with all capabilities dropped, read-only root, seccomp RuntimeDefault', () => {
    const container = pluginContainer(synthDriver({ securityMode: PluginSecurityMode.UNPRIVILEGED }).objects);
    // The root filesystem is read-only; the sockets and CDI specs go to the mounts, which stay writable.
    expect(container.volumeMounts.filter((m: any) => m.readOnly)).toEqual([]);
    expect(container.securityContext).toEqual({
      privileged: false,
      runAsUser: 0,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('node selector, tolerations, affinity, command, args, pull policy pass through', () => {
    const affinity: k8s.Affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'nvidia.com/gpu.present', operator: 'In', values: ['true'] }] }],
        },
      },
    };
    const { objects } = synthDriver({
      nodeSelector: { 'feature.node.kubernetes.io/pci-10de.present': 'true' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      affinity,
      command: ['gpu-kubelet-plugin'],
      args: ['--v=4'],
    });
    const spec = findObject(objects, 'DaemonSet').spec.template.spec;
    expect(spec.nodeSelector).toEqual({ 'feature.node.kubernetes.io/pci-10de.present': 'true' });
    expect(spec.tolerations).toContainEqual({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key)
      .toBe('nvidia.com/gpu.present');
    expect(spec.containers[0]).toMatchObject({ command: ['gpu-kubelet-plugin'], args: ['--v=4'], imagePullPolicy: 'IfNotPresent' });
  });
});

describe('upgrades', () => {
  test('default: rolling update without surge, one node at a time, no POD_UID', () => {
    const { objects } = synthDriver();
    expect(findObject(objects, 'DaemonSet').spec.updateStrategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 0, maxUnavailable: 1 },
    });
    // Drivers built on kubeletplugin switch to per-pod socket names when they get a pod UID.
    expect(envOf(objects).POD_UID).toBeUndefined();
    expect(findObject(objects, 'DaemonSet').spec.minReadySeconds).toBeUndefined();
  });

  test('rollingUpdate with maxUnavailable 100% (NVIDIA\'s choice)', () => {
    const { objects } = synthDriver({ upgrade: DriverUpgrade.rollingUpdate({ maxUnavailable: PercentOrAbsolute.percent(100) }) });
    expect(findObject(objects, 'DaemonSet').spec.updateStrategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: '100%' });
  });

  test('seamless: maxSurge 1, maxUnavailable 0, POD_UID from the downward API, and the new pod ready 5 s before the old one goes', () => {
    const { driver, objects } = synthDriver({ upgrade: DriverUpgrade.seamless(), minKubeletVersion: '1.33' });
    expect(driver.upgrade.isSeamless).toBe(true);
    // The kubelet's plugin watcher registers the new plugin within a second; the old pod must outlive that.
    expect(findObject(objects, 'DaemonSet').spec.minReadySeconds).toBe(5);
    expect(findObject(objects, 'DaemonSet').spec.updateStrategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    expect(envOf(objects).POD_UID).toEqual({ fieldRef: { fieldPath: 'metadata.uid' } });
  });
});

describe('drain late', () => {
  test('opts out of Cluster Autoscaler\'s DaemonSet eviction, tolerates the removal taints and waits for unprepare', () => {
    const template = findObject(synthDriver().objects, 'DaemonSet').spec.template;
    expect(template.metadata.annotations).toEqual({ 'cluster-autoscaler.kubernetes.io/enable-ds-eviction': 'false' });
    const spec = template.spec;
    expect(spec.tolerations).toEqual([
      { key: 'ToBeDeletedByClusterAutoscaler', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'karpenter.sh/disrupted', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    expect(spec.terminationGracePeriodSeconds).toBe(120);
  });

  test('grace period configurable, tolerations and annotation can be turned off', () => {
    const template = findObject(synthDriver({ terminationGracePeriodSeconds: 300, drainLateTolerations: false }).objects, 'DaemonSet').spec.template;
    expect(template.spec.terminationGracePeriodSeconds).toBe(300);
    expect(template.spec.tolerations).toBeUndefined();
    expect(template.metadata.annotations).toBeUndefined();
  });
});

describe('RBAC', () => {
  test('binds exactly the kubelet-plugin rules, limited to this driver, to its ServiceAccount', () => {
    const { driver, objects } = synthDriver({ driverName: 'net.example.org' });
    const role = findObject(objects, 'ClusterRole');
    expect(role.rules).toEqual(JSON.parse(JSON.stringify(kubeletPluginRules('net.example.org'))));
    const binding = findObject(objects, 'ClusterRoleBinding');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata.name });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: driver.serviceAccountName, namespace: driver.namespace }]);
  });

  test('two drivers get separate cluster-scoped objects', () => {
    const chart = testChart();
    new DraDriver(chart, 'gpu', BASE_PROPS);
    new DraDriver(chart, 'net', { driverName: 'net.example.com', image: 'net:v1' });
    const objects = synthValid(chart);
    const clusterScoped = objects.filter(o => !o.metadata.namespace).map(o => `${o.kind}/${o.metadata.name}`);
    expect(new Set(clusterScoped).size).toBe(clusterScoped.length);
  });
});

/** The findings of the RBAC rules at 1.37 (DRA011, monitoring, is no business of these objects). */
function rbacFindings(objects: any[]): string[] {
  const rbacRules = ['DRA005', 'DRA006', 'DRA007', 'DRA014', 'DRA015', 'DRA016'];
  return DraGoodPractices.checkObjects(objects, { kubernetesVersion: '1.37' }).findings.map(f => f.ruleId).filter(id => rbacRules.includes(id));
}

describe('claim device status', () => {
  test('a controller that writes device status gets its driver\'s entries on any node; the plugin keeps its own node\'s', () => {
    const { objects } = synthDriver({
      kubernetesVersion: '1.37',
      writesDeviceStatus: true,
      controller: { image: 'registry.example.com/gpu-controller:v1', writesDeviceStatus: true },
    });
    const rulesOf = (name: string) => findObject(objects, 'ClusterRole', name).rules;
    expect(rulesOf('gpu-example-com-controller')).toEqual([
      { apiGroups: ['resource.k8s.io'], resources: ['resourceclaims/status'], verbs: ['update', 'patch'] },
      { apiGroups: ['resource.k8s.io'], resources: ['resourceclaims/driver'], resourceNames: ['gpu.example.com'], verbs: ['arbitrary-node:update', 'arbitrary-node:patch'] },
    ]);
    expect(rulesOf('gpu-example-com-kubelet-plugin')).toContainEqual(
      { apiGroups: ['resource.k8s.io'], resources: ['resourceclaims/driver'], resourceNames: ['gpu.example.com'], verbs: ['associated-node:update', 'associated-node:patch'] });
    expect(rbacFindings(objects)).toEqual([]);
  });

  test('without writesDeviceStatus the controller gets no claim status', () => {
    const { objects } = synthDriver({ controller: { image: 'registry.example.com/gpu-controller:v1', publishesResourceSlices: true } });
    expect(findObject(objects, 'ClusterRole', 'gpu-example-com-controller').rules).toEqual([
      { apiGroups: ['resource.k8s.io'], resources: ['resourceslices'], verbs: ['list', 'watch', 'create', 'update', 'delete'] },
    ]);
  });
});

describe('DeviceTaintRule writes', () => {
  const TAINTS = { kubernetesVersion: '1.37', writesDeviceTaintRules: true };

  test('grants the plugin DeviceTaintRule writes with a Deny policy confining them to its driver and its node\'s pool', () => {
    const { driver, objects } = synthDriver(TAINTS);
    expect(findObject(objects, 'ClusterRole', 'gpu-example-com-kubelet-plugin').rules).toContainEqual(
      { apiGroups: ['resource.k8s.io'], resources: ['devicetaintrules'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] });
    const policy = findObject(objects, 'ValidatingAdmissionPolicy', 'gpu-example-com-devicetaintrules');
    expect(driver.deviceTaintRuleGuardPolicy?.name).toBe('gpu-example-com-devicetaintrules');
    expect(policy.spec.matchConstraints.resourceRules).toEqual([
      { apiGroups: ['resource.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['devicetaintrules'] },
    ]);
    expect(policy.spec.matchConditions[0].expression).toBe('request.userInfo.username == "system:serviceaccount:gpu-example-com:gpu-example-com-kubelet-plugin"');
    expect(policy.spec.validations.map((v: any) => v.expression)).toEqual([
      'variables.userNodeName != ""',
      'request.operation == "DELETE" || (object.spec.?deviceSelector.?driver.orValue("") == "gpu.example.com" && object.spec.?deviceSelector.?pool.orValue("") == variables.userNodeName)',
      'request.operation == "CREATE" || (oldObject.spec.?deviceSelector.?driver.orValue("") == "gpu.example.com" && oldObject.spec.?deviceSelector.?pool.orValue("") == variables.userNodeName)',
    ]);
    expect(findObject(objects, 'ValidatingAdmissionPolicyBinding', 'gpu-example-com-devicetaintrules').spec)
      .toEqual({ policyName: 'gpu-example-com-devicetaintrules', validationActions: ['Deny'] });
  });

  test('DRA016 accepts the confined grant, and flags it once the policy is gone', () => {
    const { objects } = synthDriver(TAINTS);
    expect(rbacFindings(objects)).toEqual([]);
    const withoutGuard = objects.filter(o => o.metadata.name !== 'gpu-example-com-devicetaintrules');
    expect(rbacFindings(withoutGuard)).toEqual(['DRA016']);
  });

  test('is off by default: no grant, no policy', () => {
    const { driver, objects } = synthDriver({ kubernetesVersion: '1.37' });
    expect(JSON.stringify(objects)).not.toContain('devicetaintrules');
    expect(driver.deviceTaintRuleGuardPolicy).toBeUndefined();
  });

  test.each(['1.36', '1.34'])('is refused for kubernetesVersion %s, which serves no resource.k8s.io/v1 DeviceTaintRule', version => {
    expect(attempt({ ...TAINTS, kubernetesVersion: version }).message).toBe(
      `DraDriver 'gpu' (test/gpu): writesDeviceTaintRules true needs kubernetesVersion 1.37 or later (it is '${version}'): DeviceTaintRule is served as `
      + 'resource.k8s.io/v1 from 1.37, and the admission policy that confines the plugin\'s writes matches that version');
  });
});

describe('ResourceSlice guard', () => {
  test('restricts exactly the ServiceAccount that the DaemonSet runs as', () => {
    const { objects } = synthDriver({ namespace: 'dra-gpu' });
    const podSpec = findObject(objects, 'DaemonSet').spec.template.spec;
    const sa = findObject(objects, 'ServiceAccount');
    expect(podSpec.serviceAccountName).toBe(sa.metadata.name);
    const policy = findObject(objects, 'ValidatingAdmissionPolicy');
    expect(policy.spec.matchConditions).toEqual([{
      name: 'isKubeletPluginServiceAccount',
      expression: `request.userInfo.username == "system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}"`,
    }]);
    // A named version (a wildcard turns off the server's type checking), converted from any other by Equivalent.
    expect(policy.spec.matchConstraints).toEqual({
      matchPolicy: 'Equivalent',
      resourceRules: [{ apiGroups: ['resource.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['resourceslices'] }],
    });
    expect(findObject(objects, 'ValidatingAdmissionPolicyBinding').spec).toEqual({ policyName: policy.metadata.name, validationActions: ['Deny'] });
  });
});

describe('metrics', () => {
  test('metricsPort adds a Service on the pods and a ServiceMonitor whose job is the Service name', () => {
    const { driver, objects } = synthDriver({ metricsPort: 8080, serviceMonitorLabels: { release: 'kube-prometheus-stack' } });
    const service = findObject(objects, 'Service');
    expect(service.metadata.name).toBe(driver.metricsServiceName);
    expect(service.metadata.namespace).toBe(driver.namespace);
    expect(service.spec.selector).toEqual(driver.podSelectorLabels);
    expect(service.spec.ports).toEqual([{ name: 'metrics', port: 8080, targetPort: 'metrics', protocol: 'TCP' }]);
    expect(pluginContainer(objects).ports).toContainEqual({ name: 'metrics', containerPort: 8080, protocol: 'TCP' });

    const monitor = findObject(objects, 'ServiceMonitor');
    expect(monitor.metadata.labels.release).toBe('kube-prometheus-stack');
    // The ServiceMonitor selects the metrics Service (and only it) in its namespace.
    for (const [key, value] of Object.entries(monitor.spec.selector.matchLabels)) {
      expect(service.metadata.labels[key]).toBe(value);
    }
    expect(findObject(objects, 'DaemonSet').metadata.labels['app.kubernetes.io/component'])
      .not.toBe(monitor.spec.selector.matchLabels['app.kubernetes.io/component']);
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: [driver.namespace] });
    expect(monitor.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics' }]);
    expect(driver.metricsPort).toBe(8080);
    expect(driver.metricsJob).toBe(service.metadata.name);
  });

  test('serviceMonitor false keeps the Service but leaves metricsJob undefined', () => {
    const { driver, objects } = synthDriver({ metricsPort: 8080, serviceMonitor: false });
    expect(findObjects(objects, 'ServiceMonitor')).toHaveLength(0);
    expect(findObjects(objects, 'Service')).toHaveLength(1);
    expect(driver.metricsJob).toBeUndefined();
  });

  test('no metricsPort, no metrics objects', () => {
    const { driver, objects } = synthDriver();
    expect(findObjects(objects, 'Service')).toHaveLength(0);
    expect(findObjects(objects, 'ServiceMonitor')).toHaveLength(0);
    expect(driver.metricsPort).toBeUndefined();
    expect(driver.metricsJob).toBeUndefined();
  });
});

test('priorityClassPodQuota adds a ResourceQuota scoped to the priority class (GKE)', () => {
  const { objects } = synthDriver({ priorityClassPodQuota: 1000, namespace: 'dra-gpu' });
  const quota = findObject(objects, 'ResourceQuota');
  expect(quota.metadata).toMatchObject({ name: 'gpu-example-com-priority-class-quota', namespace: 'dra-gpu' });
  expect(quota.spec).toEqual({
    hard: { pods: 1000 },
    scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['system-node-critical'] }] },
  });
  expect(findObjects(synthDriver().objects, 'ResourceQuota')).toHaveLength(0);
});

test('snapshot of a full setup', () => {
  const { objects } = synthDriver({
    namespace: 'dra-gpu',
    upgrade: DriverUpgrade.seamless(),
    minKubeletVersion: '1.34',
    metricsPort: 8080,
    deviceClasses: [
      { name: 'gpu.example.com' },
      { name: 'large-gpu.example.com', selectors: ['device.capacity["gpu.example.com"].memory.compareTo(quantity("40Gi")) >= 0'] },
    ],
  });
  expect(objects).toMatchSnapshot();
});
