import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { typedApiObject } from '../common/typed-objects';
import * as k8s from '../imports/k8s';
import { draWrites, READ_VERBS, RESOURCE_API_GROUP } from '../rbac/api';

/** What `writesDeviceTaintRules` grants the kubelet plugin: its own rules' lifecycle, confined by `deviceTaintRuleGuard`. */
export function deviceTaintRuleWriterRules(): k8s.PolicyRule[] {
  return [{ apiGroups: [RESOURCE_API_GROUP], resources: ['devicetaintrules'], verbs: [...READ_VERBS, 'create', 'update', 'patch', 'delete'] }];
}

/** Where the guard is written and whom it confines. */
export interface DeviceTaintRuleGuardSpec {
  readonly name: string;
  readonly driverName: string;
  /** `system:serviceaccount:<namespace>:<name>` of the kubelet plugin. */
  readonly username: string;
  readonly labels: { [key: string]: string };
}

/** The policy and its binding. */
export interface DeviceTaintRuleGuard {
  readonly policy: ApiObject;
  readonly binding: ApiObject;
}

/**
 * A ValidatingAdmissionPolicy, bound with Deny, that lets the kubelet plugin's ServiceAccount
 * create, update and delete only DeviceTaintRules that select its own driver and the pool of
 * the node its pod runs on, before and after the change. The node comes from the pod-bound
 * token (`authentication.kubernetes.io/node-name`), as in the ResourceSlice guard; RBAC cannot
 * say "own driver, own node". What DRA016 asks for.
 */
export function deviceTaintRuleGuard(scope: Construct, spec: DeviceTaintRuleGuardSpec): DeviceTaintRuleGuard {
  const selects = (object: string) => `${object}.spec.?deviceSelector.?driver.orValue("") == "${spec.driverName}" `
    + `&& ${object}.spec.?deviceSelector.?pool.orValue("") == variables.userNodeName`;
  const refusal = (object: string) => '"this user running on node \'" + variables.userNodeName + "\' may only write DeviceTaintRules that select '
    + `driver ${spec.driverName} and pool '" + variables.userNodeName + "', not driver '" + ${object}.spec.?deviceSelector.?driver.orValue("") `
    + `+ "' and pool '" + ${object}.spec.?deviceSelector.?pool.orValue("") + "'"`;
  const policy = typedApiObject(scope, 'devicetaintrule-guard-policy', k8s.KubeValidatingAdmissionPolicy, {
    metadata: { name: spec.name, labels: spec.labels },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: draWrites(['devicetaintrules'], ['CREATE', 'UPDATE', 'DELETE']),
      matchConditions: [{ name: 'isKubeletPluginServiceAccount', expression: `request.userInfo.username == "${spec.username}"` }],
      variables: [{ name: 'userNodeName', expression: 'request.userInfo.extra[?\'authentication.kubernetes.io/node-name\'][0].orValue(\'\')' }],
      validations: [
        {
          expression: 'variables.userNodeName != ""',
          message: 'no node association found for user, this user must run in a pod on a node and ServiceAccountTokenPodNodeInfo must be enabled',
        },
        { expression: `request.operation == "DELETE" || (${selects('object')})`, messageExpression: refusal('object') },
        { expression: `request.operation == "CREATE" || (${selects('oldObject')})`, messageExpression: refusal('oldObject') },
      ],
    },
  });
  const binding = typedApiObject(scope, 'devicetaintrule-guard-binding', k8s.KubeValidatingAdmissionPolicyBinding, {
    metadata: { name: spec.name, labels: spec.labels },
    spec: { policyName: spec.name, validationActions: ['Deny'] },
  });
  return { policy, binding };
}
