import { CA_DS_EVICTION_ANNOTATION, KARPENTER_DISRUPTED_TAINT } from '../../common/drain';
import { suppressAnnotation } from '../../common/good-practice-ids';
import { HEALTHCHECK_PORT_FLAG, PLUGIN_ENV, PLUGIN_REGISTRY_DIR, PRIORITY_CLASSES } from '../../common/kubelet-plugin-facts';
import { RESOURCE_API_GROUP } from '../../rbac/api';
import { GoodPracticeRule } from '../engine/finding';
import { DriverLivenessProbeRule } from '../rules/dra001-driver-liveness-probe';
import { DriverPriorityRule } from '../rules/dra003-driver-priority';
import { DrainTolerationsRule } from '../rules/dra004-drain-tolerations';
import { DRA_RESOURCES, WildcardRule } from '../rules/dra007-wildcards';
import { PluginRolloutRule } from '../rules/dra013-plugin-rollout';

/**
 * The good-practice rules an admission policy can judge on the one object written, as CEL.
 *
 * Each expression mirrors its rule's `check` on that object alone (the checker's verdict on
 * a single object is what test/good-practices/admission/admission-policies.test.ts holds the
 * two to). Rules that need a second object are not here: DRA005 and DRA014 judge a
 * ClusterRoleBinding by the ClusterRole it references (and DRA014 by the DaemonSet whose
 * ServiceAccount it binds), which admission of the binding cannot read; DRA002, DRA006,
 * DRA008, DRA011, DRA015 and DRA016 likewise need other objects, DRA009, DRA010 and DRA012
 * the control plane's configuration.
 */

/** A CEL variable of the policy. */
export interface CelVariable {
  readonly name: string;
  readonly expression: string;
}

/** One rule as an admission policy: what it matches and the expression that holds when the object complies. */
export interface AdmissionRule {
  readonly info: GoodPracticeRule;
  /** `apiGroups`, `resources` of the policy's one resource rule (apps/daemonsets, rbac roles). */
  readonly apiGroups: string[];
  readonly resources: string[];
  /** Variables the compliance expression reads, in order. */
  readonly variables: CelVariable[];
  /** True when the object complies (or the rule does not concern it). */
  readonly compliant: string;
}

/** Options that change what the expressions recognise. */
export interface AdmissionRuleOptions {
  /** Host directories besides `.../plugins_registry` that mark a kubelet plugin (the checker's `registrationDirs`). */
  readonly registrationDirs: string[];
}

/** A CEL string literal (JSON's escapes are CEL's). */
export function celString(value: string): string {
  return JSON.stringify(value);
}

/** RE2 text matching `value` literally. */
function regexLiteral(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The variables that recognise a kubelet plugin DaemonSet as the checker's object index does:
 * a container mounting a hostPath volume of the registration directory, and no CSI
 * node-driver-registrar (CSI node plugins register through the same directory).
 */
function pluginVariables(options: AdmissionRuleOptions): CelVariable[] {
  const dirs = [`.*/${PLUGIN_REGISTRY_DIR}/?`, ...options.registrationDirs.map(dir => `${regexLiteral(dir.replace(/\/+$/, ''))}/*`)];
  const pattern = `^(${dirs.join('|')})$`;
  return [
    { name: 'podSpec', expression: 'object.spec.template.spec' },
    {
      name: 'registrationVolumes',
      expression: `variables.podSpec.?volumes.orValue([]).filter(v, has(v.hostPath) && v.hostPath.path.matches(${celString(pattern)})).map(v, v.name)`,
    },
    {
      name: 'isCsiNodePlugin',
      expression: 'variables.podSpec.containers.exists(c, ([c.?image.orValue("")] + c.?args.orValue([]) + c.?command.orValue([]))'
        + '.exists(w, w.contains("csi-node-driver-registrar") || w.startsWith("--kubelet-registration-path")))',
    },
    {
      name: 'pluginContainers',
      expression: 'variables.isCsiNodePlugin ? [] : variables.podSpec.containers.filter(c, c.?volumeMounts.orValue([]).exists(m, m.name in variables.registrationVolumes))',
    },
    { name: 'isKubeletPlugin', expression: 'size(variables.pluginContainers) > 0' },
  ];
}

/** DRA001: each plugin container has a liveness probe; a gRPC one on a port the driver serves its health service on. */
function livenessProbe(options: AdmissionRuleOptions): AdmissionRule {
  // kubeletplugin drivers take the health port from --healthcheck-port (first) or HEALTHCHECK_PORT.
  const words = '(" " + (c.?command.orValue([]) + c.?args.orValue([])).join(" ") + " ")';
  const flag = `--?${HEALTHCHECK_PORT_FLAG}`;
  const port = 'string(c.livenessProbe.grpc.port)';
  const envPorts = `c.?env.orValue([]).filter(e, e.name == ${celString(PLUGIN_ENV.healthcheckPort)} && has(e.value)).map(e, e.value)`;
  // The port is compared with contains(), not a regular expression built from it: the server compiles such a pattern on every evaluation.
  const flagGives = ['--', '-'].flatMap(dashes => ['=', ' '].map(separator => `${dashes}${HEALTHCHECK_PORT_FLAG}${separator}`))
    .map(form => `${words}.contains(${celString(` ${form}`)} + ${port} + " ")`).join(' || ');
  const grpcServed = `(${words}.matches(${celString(` ${flag}[= ]`)})`
    + ` ? (${flagGives})`
    + ` : (size(${envPorts}) == 0 || ${envPorts}[0] == ${port}))`;
  return {
    info: new DriverLivenessProbeRule().info,
    apiGroups: ['apps'],
    resources: ['daemonsets'],
    variables: pluginVariables(options),
    compliant: 'variables.pluginContainers.all(c, has(c.livenessProbe) && '
      + '(has(c.livenessProbe.httpGet) || has(c.livenessProbe.tcpSocket) || has(c.livenessProbe.exec) || '
      + `(has(c.livenessProbe.grpc) && c.livenessProbe.grpc.port != 0 && ${grpcServed})))`,
  };
}

/** DRA003: the plugin's pods have node-critical priority. */
function priority(options: AdmissionRuleOptions): AdmissionRule {
  return {
    info: new DriverPriorityRule().info,
    apiGroups: ['apps'],
    resources: ['daemonsets'],
    variables: pluginVariables(options),
    compliant: `!variables.isKubeletPlugin || variables.podSpec.?priorityClassName.orValue("") == ${celString(PRIORITY_CLASSES.nodeCritical)}`,
  };
}

/** DRA004: Karpenter's disrupted taint tolerated, and Cluster Autoscaler's DaemonSet eviction turned off. */
function drainTolerations(options: AdmissionRuleOptions): AdmissionRule {
  const key = celString(KARPENTER_DISRUPTED_TAINT);
  return {
    info: new DrainTolerationsRule().info,
    apiGroups: ['apps'],
    resources: ['daemonsets'],
    variables: pluginVariables(options),
    compliant: '!variables.isKubeletPlugin || ('
      + 'variables.podSpec.?tolerations.orValue([]).exists(t, t.?effect.orValue("") in ["", "NoSchedule"] && ('
      + `(t.?operator.orValue("") == "Exists" && t.?key.orValue("") in ["", ${key}]) || `
      + `(t.?operator.orValue("") in ["", "Equal"] && t.?key.orValue("") == ${key} && t.?value.orValue("") == "")))`
      + ` && object.spec.template.metadata.?annotations[?${celString(CA_DS_EVICTION_ANNOTATION)}].orValue("") == "false")`,
  };
}

/** Whether an int-or-percent rollout amount is zero (the API allows only ints and percentages). */
function isZero(amount: string): string {
  return `(type(${amount}) == int ? ${amount} == 0 : string(${amount}).matches("^0*(\\\\.0*)?%?$"))`;
}

/** DRA013: a rollout without surge stops the plugin on at most one node at a time. */
function pluginRollout(options: AdmissionRuleOptions): AdmissionRule {
  return {
    info: new PluginRolloutRule().info,
    apiGroups: ['apps'],
    resources: ['daemonsets'],
    variables: [
      ...pluginVariables(options),
      { name: 'maxSurge', expression: 'object.spec.?updateStrategy.?rollingUpdate.?maxSurge.orValue(0)' },
      { name: 'maxUnavailable', expression: 'object.spec.?updateStrategy.?rollingUpdate.?maxUnavailable.orValue(1)' },
    ],
    // A percentage of an unknown node count counts as more than one node unless zero, as in the checker.
    compliant: '!variables.isKubeletPlugin || object.spec.?updateStrategy.?type.orValue("RollingUpdate") != "RollingUpdate"'
      + ` || !${isZero('variables.maxSurge')}`
      + ` || (type(variables.maxUnavailable) == int ? variables.maxUnavailable <= 1 : ${isZero('variables.maxUnavailable')})`,
  };
}

/** DRA007: no `*` in a rule that reaches the DRA API group; Kubernetes' own roles are left alone. */
function wildcards(): AdmissionRule {
  const draResources = `[${DRA_RESOURCES.map(celString).join(', ')}]`;
  return {
    info: new WildcardRule().info,
    apiGroups: ['rbac.authorization.k8s.io'],
    resources: ['clusterroles', 'roles'],
    variables: [],
    compliant: 'object.metadata.?labels[?"kubernetes.io/bootstrapping"].orValue("") == "rbac-defaults" || object.?rules.orValue([]).all(r, !('
      + `r.?apiGroups.orValue([]).exists(g, g == "*" || g == ${celString(RESOURCE_API_GROUP)})`
      + ` && r.?resources.orValue([]).exists(x, x == "*" || x.startsWith("*/") || x.split("/")[0] in ${draResources})`
      // `*/status`, `*/driver`: a subresource of every resource in the group, as in the checker.
      + ' && (r.?apiGroups.orValue([]).exists(g, g == "*") || r.?resources.orValue([]).exists(x, x == "*" || x.startsWith("*/"))'
      + ' || r.?verbs.orValue([]).exists(v, v == "*"))))',
  };
}

/** The rules judgeable at admission, in id order. */
export function admissionRules(options: AdmissionRuleOptions): AdmissionRule[] {
  return [livenessProbe(options), priority(options), drainTolerations(options), wildcards(), pluginRollout(options)];
}

/** Ids of the rules judgeable at admission. */
export const ADMISSION_RULE_IDS: readonly string[] = admissionRules({ registrationDirs: [] }).map(rule => rule.info.id);

/**
 * True when the object, or its namespace, carries the suppression annotation `check`
 * honours (`cdk8s-dra/suppress-<id>` with a non-empty reason).
 */
export function exemptionExpression(ruleId: string): string {
  const key = celString(suppressAnnotation(ruleId));
  return `object.metadata.?annotations[?${key}].orValue("").trim() != ""`
    + ` || (namespaceObject != null && namespaceObject.metadata.?annotations[?${key}].orValue("").trim() != "")`;
}

/** `DRA001: <title>. Fix: <fix>`: the message of the policy, from the rule's own description. */
export function admissionMessage(info: GoodPracticeRule): string {
  return `${info.id}: ${info.title}. Fix: ${info.fix}`;
}
