/**
 * How long the good-practice checks take on a large input: generates N objects (default
 * 10,000) shaped like many driver installations and tenant namespaces, some of them
 * non-compliant, then times DraGoodPractices.checkObjects (in memory) and checkPaths (the
 * same objects as one multi-document YAML file, as `cdk8s-dra check` reads them).
 * Usage: ts-node --project scripts/tsconfig.json scripts/bench-check.ts [N]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { stringify } from 'yaml';
import { DraGoodPractices } from '../src';

const total = Number(process.argv[2] ?? 10_000);

/** One driver installation (6 objects) and one tenant namespace (4 objects); every 7th breaks some practices. */
function group(i: number): any[] {
  const ns = `driver-${i}`;
  const sa = `plugin-${i}`;
  const broken = i % 7 === 0;
  const rbac = 'rbac.authorization.k8s.io';
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: ns } },
    {
      apiVersion: `${rbac}/v1`,
      kind: 'ClusterRole',
      metadata: { name: `plugin-${i}` },
      rules: [{ apiGroups: ['resource.k8s.io'], resources: broken ? ['*'] : ['resourceslices'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] }],
    },
    {
      apiVersion: `${rbac}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name: `plugin-${i}` },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: `plugin-${i}` },
      subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ns }],
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: `plugin-${i}`, namespace: ns },
      spec: {
        selector: { matchLabels: { app: `plugin-${i}` } },
        template: {
          metadata: { labels: { app: `plugin-${i}` } },
          spec: {
            serviceAccountName: sa,
            priorityClassName: 'system-node-critical',
            tolerations: broken ? [] : [{ operator: 'Exists' }],
            containers: [{
              name: 'plugin',
              image: 'registry.example.com/driver:v1',
              ...(broken ? {} : { livenessProbe: { grpc: { port: 51515, service: 'liveness' } } }),
              volumeMounts: [{ name: 'registry', mountPath: '/var/lib/kubelet/plugins_registry' }],
            }],
            volumes: [{ name: 'registry', hostPath: { path: '/var/lib/kubelet/plugins_registry' } }],
          },
        },
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: `slices-${i}` },
      spec: {
        matchConstraints: { resourceRules: [{ apiGroups: ['resource.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['resourceslices'] }] },
        matchConditions: [{ name: 'driver', expression: `request.userInfo.username == "system:serviceaccount:${ns}:${broken ? 'wrong' : sa}"` }],
        variables: [{ name: 'node', expression: "request.userInfo.extra[?'authentication.kubernetes.io/node-name'][0].orValue('')" }],
        validations: [{ expression: 'variables.node == object.spec.nodeName' }],
      },
    },
    { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: `slices-${i}` }, spec: { policyName: `slices-${i}`, validationActions: ['Deny'] } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${i}` } },
    {
      apiVersion: `${rbac}/v1`,
      kind: 'Role',
      metadata: { name: 'claims', namespace: `team-${i}` },
      rules: [{ apiGroups: ['resource.k8s.io'], resources: ['resourceclaims', 'resourceclaimtemplates'], verbs: ['get', 'list', 'create', 'delete'] }],
    },
    {
      apiVersion: `${rbac}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'claims', namespace: `team-${i}` },
      roleRef: { apiGroup: rbac, kind: 'Role', name: 'claims' },
      subjects: [{ kind: 'Group', name: `team-${i}`, apiGroup: rbac }],
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: `team-${i}` }, data: { key: 'value' } },
  ];
}

const objects: any[] = [];
let groups = 0;
for (; objects.length < total; groups++) objects.push(...group(groups));
objects.length = total;

let start = performance.now();
const inMemory = DraGoodPractices.checkObjects(objects);
const checkMs = performance.now() - start;

const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-check-')), 'objects.yaml');
fs.writeFileSync(file, objects.map(o => stringify(o)).join('---\n'));
start = performance.now();
const fromFile = DraGoodPractices.checkPaths([file]);
const fileMs = performance.now() - start;
fs.rmSync(path.dirname(file), { recursive: true });

console.log(`objects: ${objects.length} (${groups} driver installations + tenant namespaces)`);
console.log(`checkObjects: ${checkMs.toFixed(0)} ms, ${inMemory.findings.length} findings`);
console.log(`checkPaths (one ${objects.length}-document YAML file, parse + check): ${fileMs.toFixed(0)} ms, ${fromFile.findings.length} findings`);
