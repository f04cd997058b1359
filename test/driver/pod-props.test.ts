/**
 * What five public drivers' charts needed that DraDriver could not say (issue 25): a full
 * container security context, probe timing and readiness, named ports, metrics on the
 * probe port, the ServiceAccount token per container, and the driver's own objects.
 */
import { ApiObject } from 'cdk8s';
import { attempt, BASE_PROPS, pluginContainer, synthDriver } from './support';
import {
  DraDriver, DraGoodPractices, DriverAppArmorProfile, DriverProbe, DriverSeccompProfile, DriverSecurityContext, PluginSecurityMode,
} from '../../src';
import { findObject, findObjects, synthValid, testChart } from '../support/harness';

describe('securityContext', () => {
  test('a hardened privileged plugin (Intel Gaudi): privileged with every capability dropped, read-only root, user 0, seccomp', () => {
    const container = pluginContainer(synthDriver({
      securityContext: DriverSecurityContext.privileged({
        capabilitiesDrop: ['ALL'], readOnlyRootFilesystem: true, runAsUser: 0, seccompProfile: DriverSeccompProfile.runtimeDefault(),
      }),
    }).objects);
    expect(container.securityContext).toEqual({
      privileged: true, runAsUser: 0, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('the runtime\'s defaults (the CPU driver\'s chart sets none): no securityContext written', () => {
    expect(pluginContainer(synthDriver({ securityContext: DriverSecurityContext.runtimeDefault() }).objects).securityContext).toBeUndefined();
  });

  test('appArmorProfile (1.30+) reaches the YAML, for the plugin, a sidecar, an init container and the controller', () => {
    const appArmor = DriverAppArmorProfile.localhost('dra-plugin');
    const { objects } = synthDriver({
      securityContext: DriverSecurityContext.unprivileged({ appArmorProfile: appArmor }),
      initContainers: [{ name: 'init', image: 'registry.example.com/init:v1', securityContext: DriverSecurityContext.of({ appArmorProfile: DriverAppArmorProfile.runtimeDefault() }) }],
      containers: [{ name: 'exporter', image: 'registry.example.com/exporter:v1', securityContext: DriverSecurityContext.of({ runAsNonRoot: true, appArmorProfile: DriverAppArmorProfile.unconfined() }) }],
      controller: { image: 'registry.example.com/controller:v1', securityContext: DriverSecurityContext.of({ appArmorProfile: DriverAppArmorProfile.runtimeDefault() }) },
    });
    const pod = findObject(objects, 'DaemonSet').spec.template.spec;
    expect(pod.containers[0].securityContext).toEqual({
      privileged: false,
      runAsUser: 0,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
      appArmorProfile: { type: 'Localhost', localhostProfile: 'dra-plugin' },
    });
    expect(pod.initContainers[0].securityContext).toEqual({ appArmorProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[1].securityContext).toEqual({ runAsNonRoot: true, appArmorProfile: { type: 'Unconfined' } });
    expect(findObject(objects, 'Deployment').spec.template.spec.containers[0].securityContext).toEqual({ appArmorProfile: { type: 'RuntimeDefault' } });
  });

  test('PluginSecurityMode.UNPRIVILEGED is DriverSecurityContext.unprivileged()', () => {
    expect(pluginContainer(synthDriver({ securityMode: PluginSecurityMode.UNPRIVILEGED }).objects).securityContext)
      .toEqual(pluginContainer(synthDriver({ securityContext: DriverSecurityContext.unprivileged() }).objects).securityContext);
  });

  test('a privileged plugin keeps the namespace at the privileged Pod Security level', () => {
    const { objects } = synthDriver({ securityContext: DriverSecurityContext.privileged({ capabilitiesDrop: ['ALL'] }) });
    expect(findObject(objects, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  test.each<[string, any, string]>([
    ['securityMode and securityContext', { securityMode: PluginSecurityMode.PRIVILEGED, securityContext: DriverSecurityContext.privileged() },
      "securityMode 'privileged' cannot be given with securityContext"],
    ['no escalation on a privileged container', { securityContext: DriverSecurityContext.privileged({ allowPrivilegeEscalation: false }) },
      'securityContext.allowPrivilegeEscalation false cannot be false for a privileged container'],
    ['runAsNonRoot with user 0', { securityContext: DriverSecurityContext.unprivileged({ runAsNonRoot: true }) },
      'securityContext.runAsNonRoot true contradicts runAsUser 0'],
    ['a capability with CAP_', { securityContext: DriverSecurityContext.of({ capabilitiesAdd: ['CAP_NET_ADMIN'] }) },
      "securityContext.capabilitiesAdd[0] 'CAP_NET_ADMIN' must be a capability name without the CAP_ prefix"],
    ['a negative user', { securityContext: DriverSecurityContext.of({ runAsUser: -1 }) },
      'securityContext.runAsUser -1 must be a whole number from 0 to 2147483647'],
    ['a Localhost profile without a file', { securityContext: DriverSecurityContext.of({ seccompProfile: DriverSeccompProfile.localhost(' ') }) },
      "securityContext.seccompProfile.localhostProfile ' ' must name the profile of a Localhost profile"],
    ['a seccomp profile as plain data', { securityContext: DriverSecurityContext.of({ seccompProfile: { type: 'RuntimeDefault' } as any }) },
      'securityContext.seccompProfile {"type":"RuntimeDefault"} must be made by DriverSeccompProfile.runtimeDefault()'],
    ['an AppArmor profile as the seccomp profile', { securityContext: DriverSecurityContext.of({ seccompProfile: DriverAppArmorProfile.runtimeDefault() as any }) },
      'securityContext.seccompProfile {"type":"RuntimeDefault"} must be made by DriverSeccompProfile'],
    ['a security context as plain data', { securityContext: { privileged: true } as any },
      'securityContext {"privileged":true} must be made by DriverSecurityContext.privileged()'],
    ['a sidecar\'s bad security context', { containers: [{ name: 'side', image: 'x:v1', securityContext: DriverSecurityContext.of({ runAsGroup: 1.5 }) }] },
      'containers[0].securityContext.runAsGroup 1.5 must be a whole number'],
    ['the controller\'s bad security context', { controller: { image: 'x:v1', securityContext: DriverSecurityContext.of({ capabilitiesDrop: ['all'] }) } },
      "controller.securityContext.capabilitiesDrop[0] 'all' must be a capability name"],
  ])('refuses %s', (_, props, message) => {
    const result = attempt(props);
    expect(result.message).toContain(`DraDriver 'gpu' (test/gpu): ${message}`);
    expect(result.objects).toEqual([]);
  });
});

describe('probe timing, readiness and the port name', () => {
  test('the CPU driver\'s probes: liveness after 10 s, readiness after 5 s, on the port named healthz', () => {
    const container = pluginContainer(synthDriver({
      probe: DriverProbe.httpGet({ port: 8080, portName: 'healthz', liveness: { initialDelaySeconds: 10 }, readiness: { initialDelaySeconds: 5 } }),
    }).objects);
    expect(container.ports).toEqual([{ name: 'healthz', containerPort: 8080, protocol: 'TCP' }]);
    expect(container.livenessProbe).toEqual({
      httpGet: { path: '/healthz', port: 'healthz' }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3, terminationGracePeriodSeconds: 10,
    });
    expect(container.readinessProbe).toEqual({ httpGet: { path: '/healthz', port: 'healthz' }, initialDelaySeconds: 5 });
    expect(container.startupProbe).toMatchObject({ periodSeconds: 5, failureThreshold: 60 });
  });

  test('dranet\'s startup (12 x 5 s) and NVIDIA\'s (600 x 1 s, timeout 10 s), gRPC by port number', () => {
    const dranet = pluginContainer(synthDriver({ probe: DriverProbe.httpGet({ port: 9177, startup: { failureThreshold: 12 } }) }).objects);
    expect(dranet.startupProbe).toEqual({ httpGet: { path: '/healthz', port: 9177 }, periodSeconds: 5, failureThreshold: 12, terminationGracePeriodSeconds: 10 });
    const grpc = pluginContainer(synthDriver({
      probe: DriverProbe.grpc({ portName: 'health', startup: { periodSeconds: 1, failureThreshold: 600, timeoutSeconds: 10 }, liveness: { periodSeconds: 30 } }),
    }).objects);
    expect(grpc.startupProbe).toEqual({ grpc: { port: 51515, service: 'liveness' }, periodSeconds: 1, timeoutSeconds: 10, failureThreshold: 600, terminationGracePeriodSeconds: 10 });
    expect(grpc.livenessProbe.periodSeconds).toBe(30);
    expect(grpc.readinessProbe).toBeUndefined();
    expect(grpc.ports).toEqual([{ name: 'health', containerPort: 51515, protocol: 'TCP' }]);
  });

  test.each<[string, any, string]>([
    ['a period of 0', { probe: DriverProbe.grpc({ liveness: { periodSeconds: 0 } }) }, 'probe.liveness.periodSeconds 0 must be a positive whole number of seconds'],
    ['a negative delay', { probe: DriverProbe.grpc({ readiness: { initialDelaySeconds: -5 } }) }, 'probe.readiness.initialDelaySeconds -5 must be a whole number of seconds from 0'],
    ['a fractional threshold', { probe: DriverProbe.grpc({ startup: { failureThreshold: 1.5 } }) }, 'probe.startup.failureThreshold 1.5 must be a positive whole number of checks'],
    ['an uppercase port name', { probe: DriverProbe.grpc({ portName: 'Health' }) }, "probe.portName 'Health' must be an IANA service name"],
    ['a port name of 16 characters', { probe: DriverProbe.grpc({ portName: 'healthcheck-grpc' }) }, "probe.portName 'healthcheck-grpc' must be an IANA service name"],
    ['a port name on a sidecar\'s probe', { containers: [{ name: 'side', image: 'x:v1', probe: DriverProbe.grpc({ portName: 'health' }) }] }, "containers[0].probe.portName 'health' is for the kubelet plugin's probe"],
    ['a sidecar port named with digits only', { containers: [{ name: 'side', image: 'x:v1', ports: [{ name: '8080', containerPort: 8080 }] }] }, "containers[0].ports[0].name '8080' must be an IANA service name"],
  ])('refuses %s', (_, props, message) => {
    expect(attempt(props).message).toContain(`DraDriver 'gpu' (test/gpu): ${message}`);
  });
});

describe('metrics on the probe port', () => {
  test('one container port serves /healthz and /metrics; the Service and the ServiceMonitor scrape it', () => {
    const { objects, driver } = synthDriver({
      probe: DriverProbe.httpGet({ port: 8080, portName: 'healthz' }), metricsPort: 8080, serviceMonitorLabels: { release: 'prom' },
    });
    const container = pluginContainer(objects);
    expect(container.ports).toEqual([{ name: 'healthz', containerPort: 8080, protocol: 'TCP' }]);
    expect(container.env).toContainEqual({ name: 'METRICS_PORT', value: '8080' });
    const service = findObject(objects, 'Service');
    expect(service.spec.ports).toEqual([{ name: 'metrics', port: 8080, targetPort: 'healthz', protocol: 'TCP' }]);
    expect(findObject(objects, 'ServiceMonitor').spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics' }]);
    expect(driver.metricsPort).toBe(8080);
    expect(driver.metricsJob).toBe('gpu-example-com-kubelet-plugin-metrics');
  });

  test('a metrics port of its own is still declared as `metrics`', () => {
    const container = pluginContainer(synthDriver({ probe: DriverProbe.httpGet({ port: 8080 }), metricsPort: 9090 }).objects);
    expect(container.ports.map((p: any) => p.name)).toEqual(['healthcheck', 'metrics']);
  });
});

describe('the ServiceAccount token per container', () => {
  test('a sidecar without a token: the pod mounts none, the plugin mounts the kubelet\'s projected token', () => {
    const { objects } = synthDriver({
      containers: [{ name: 'exporter', image: 'registry.example.com/exporter:v1', serviceAccountToken: false }],
      initContainers: [{ name: 'init', image: 'registry.example.com/init:v1', serviceAccountToken: false }],
    });
    const pod = findObject(objects, 'DaemonSet').spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    const token = { name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true };
    expect(pod.containers[0].volumeMounts).toContainEqual(token);
    expect(pod.containers[1].volumeMounts).toBeUndefined();
    expect(pod.initContainers[0].volumeMounts).toBeUndefined();
    expect(pod.volumes).toContainEqual({
      name: 'kube-api-access',
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    });
  });

  test('every container keeps the token by default: nothing changes in the pod', () => {
    const pod = findObject(synthDriver({ containers: [{ name: 'side', image: 'x:v1' }] }).objects, 'DaemonSet').spec.template.spec;
    expect(pod.automountServiceAccountToken).toBeUndefined();
    expect(pod.volumes.map((v: any) => v.name)).not.toContain('kube-api-access');
  });
});

describe('the driver\'s own objects', () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    name: 'computedomains.resource.nvidia.com',
    clusterScoped: true,
    fields: { spec: { group: 'resource.nvidia.com', names: { kind: 'ComputeDomain', plural: 'computedomains' }, scope: 'Namespaced', versions: [] } },
  };
  const config = { apiVersion: 'v1', kind: 'ConfigMap', name: 'dracpu-config', fields: { data: { 'config.yaml': 'reserved: 0-1\n' } } };

  test('extraObjects and addObject: owned by the DraDriver, labelled, in its namespace unless cluster-scoped', () => {
    const chart = testChart();
    const driver = new DraDriver(chart, 'gpu', { ...BASE_PROPS, extraObjects: [crd] });
    const added = driver.addObject(config);
    expect(added.node.scope).toBe(driver);
    expect(driver.extraObjects.map(o => o.kind)).toEqual(['CustomResourceDefinition', 'ConfigMap']);
    const objects = synthValid(chart);
    const madeCrd = findObject(objects, 'CustomResourceDefinition');
    expect(madeCrd.metadata).toEqual({
      name: 'computedomains.resource.nvidia.com',
      labels: {
        'app.kubernetes.io/name': 'gpu-example-com',
        'app.kubernetes.io/component': 'customresourcedefinition',
        'app.kubernetes.io/part-of': 'cdk8s-dra',
        'app.kubernetes.io/managed-by': 'cdk8s',
      },
    });
    expect(madeCrd.spec.group).toBe('resource.nvidia.com');
    expect(driver.addObject({ apiVersion: 'v1', kind: 'ServiceAccount', name: 'daemon', component: 'compute-domain-daemon' }).metadata.getLabel('app.kubernetes.io/component'))
      .toBe('compute-domain-daemon');
    const configMap = findObjects(objects, 'ConfigMap').find((o: any) => o.metadata.name === 'dracpu-config');
    expect(configMap.metadata.namespace).toBe('gpu-example-com');
    expect(configMap.data).toEqual({ 'config.yaml': 'reserved: 0-1\n' });
  });

  test('an object another part of the app makes is refused, naming the prop', () => {
    const chart = testChart();
    new ApiObject(chart, 'mine', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dracpu-config', namespace: 'gpu-example-com' } });
    const driver = new DraDriver(chart, 'gpu', BASE_PROPS);
    expect(() => driver.addObject(config)).toThrow(/ConfigMap 'gpu-example-com\/dracpu-config' .*rename the object in extraObjects or addObject/);
    expect(attempt({ extraObjects: [config, config] }).message).toContain("extraObjects[1].name 'dracpu-config' names the same ConfigMap as an earlier extra object");
  });

  test.each<[string, any, string]>([
    ['a bad apiVersion', { ...config, apiVersion: 'apps' }, "extraObjects[0].apiVersion 'apps' must be `<version>` or `<group>/<version>`"],
    ['a bad kind', { ...config, kind: 'configmap' }, "extraObjects[0].kind 'configmap' must be a kind"],
    ['a bad name', { ...config, name: 'Dracpu_Config' }, "extraObjects[0].name 'Dracpu_Config' must be a DNS subdomain"],
    ['metadata in fields', { ...config, fields: { metadata: { name: 'x' } } }, 'extraObjects[0].fields.metadata {"name":"x"} is written from the object\'s own props'],
    ['a standard label', { ...config, labels: { 'app.kubernetes.io/name': 'x' } }, "extraObjects[0].labels key 'app.kubernetes.io/name' is one of the app.kubernetes.io/* labels"],
    ['a name that is not a string', { ...config, name: 7 }, 'extraObjects[0].name 7 must be a string'],
  ])('refuses %s', (_, object, message) => {
    expect(attempt({ extraObjects: [object] }).message).toContain(`DraDriver 'gpu' (test/gpu): ${message}`);
  });

  test('the driver\'s objects are checked with the rest', () => {
    const chart = testChart();
    new DraDriver(chart, 'gpu', {
      ...BASE_PROPS,
      extraObjects: [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'broad', clusterScoped: true, fields: { rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] } }],
    });
    const report = DraGoodPractices.checkObjects(synthValid(chart), { minKubeletVersion: '1.34' });
    expect(report.findings.map(f => `${f.ruleId} ${f.object.name}`)).toContain('DRA007 broad');
  });
});
