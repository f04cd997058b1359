import { IServiceAccount } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { RESOURCE_SLICE_GUARD_PROPS } from './option-prop-types';
import { invalidProp } from '../common/errors';
import { standardLabels } from '../common/labels';
import { isDnsSubdomain } from '../common/names';
import { checkProps } from '../common/prop-types';
import { typedApiObject } from '../common/typed-objects';
import { KubeValidatingAdmissionPolicy, KubeValidatingAdmissionPolicyBinding } from '../imports/k8s';
import { draWrites } from '../rbac/api';
import { isImportedWithoutNamespace } from '../rbac/subjects';

/** Props of `ResourceSliceGuard`. */
export interface ResourceSliceGuardProps {
  /**
   * The kubelet plugin's ServiceAccount. The policy matches exactly this account, read
   * from the object itself, so a renamed account cannot silently escape the guard.
   */
  readonly serviceAccount: IServiceAccount;
  /** Name of the ValidatingAdmissionPolicy and of its binding (cluster-scoped). */
  readonly name: string;
  /**
   * The ServiceAccount of the driver's central controller, which may then write only
   * ResourceSlices without a node (`allNodes`, `nodeSelector`): node-local slices stay the
   * business of the kubelet plugin on that node.
   * @default - no controller: only the kubelet plugin is matched
   */
  readonly controllerServiceAccount?: IServiceAccount;
  /**
   * The `app.kubernetes.io/name` label of both objects.
   * @default - the name
   */
  readonly appName?: string;
}

/**
 * A ValidatingAdmissionPolicy and binding that let a kubelet plugin's ServiceAccount
 * create, update and delete only the ResourceSlices of the node its pod runs on, and a
 * driver controller's ServiceAccount (when given) only slices without a node.
 *
 * RBAC cannot express "own node only"; the API server adds the node name to the token
 * of a pod's ServiceAccount (`authentication.kubernetes.io/node-name`, feature
 * ServiceAccountTokenPodNodeInfo, on by default since 1.32), and the policy compares it
 * with the slice's `spec.nodeName`. A compromised plugin can then not publish or delete
 * devices of other nodes.
 */
export class ResourceSliceGuard extends Construct {
  /** The full username the policy restricts: `system:serviceaccount:<namespace>:<name>`. */
  public readonly username: string;
  /**
   * The controller's username: `system:serviceaccount:<namespace>:<name>`.
   * @default - no controller
   */
  public readonly controllerUsername?: string;
  /** Name of the ValidatingAdmissionPolicy and of its binding. */
  public readonly policyName: string;

  constructor(scope: Construct, id: string, props: ResourceSliceGuardProps) {
    super(scope, id);
    checkProps(this, props, RESOURCE_SLICE_GUARD_PROPS);
    if (!isDnsSubdomain(props.name)) {
      invalidProp(this, 'name', props.name, 'must be a DNS subdomain (RFC 1123)');
    }
    this.username = usernameOf(this, 'serviceAccount', props.serviceAccount);
    this.controllerUsername = props.controllerServiceAccount === undefined
      ? undefined
      : usernameOf(this, 'controllerServiceAccount', props.controllerServiceAccount);
    if (this.controllerUsername === this.username) {
      invalidProp(this, 'controllerServiceAccount', props.controllerServiceAccount!.name, 'must differ from the kubelet plugin\'s ServiceAccount: the controller may write slices no node owns');
    }
    this.policyName = props.name;
    const labels = standardLabels(props.appName ?? props.name, 'resourceslice-guard');
    const pluginValidations = [
      {
        expression: 'variables.userNodeName != ""',
        message: 'no node association found for user, this user must run in a pod on a node and ServiceAccountTokenPodNodeInfo must be enabled',
      },
      {
        expression: 'variables.userNodeName == variables.objectNodeName',
        messageExpression: '"this user running on node \'" + variables.userNodeName + "\' may not modify " + (variables.objectNodeName == "" ? "cluster resourceslices" : "resourceslices on node \'" + variables.objectNodeName + "\'")',
      },
    ];

    typedApiObject(this, 'policy', KubeValidatingAdmissionPolicy, {
      metadata: { name: props.name, labels },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: draWrites(['resourceslices'], ['CREATE', 'UPDATE', 'DELETE']),
        matchConditions: [{
          name: 'isKubeletPluginServiceAccount',
          expression: this.controllerUsername === undefined
            ? `request.userInfo.username == "${this.username}"`
            : `request.userInfo.username in ["${this.username}", "${this.controllerUsername}"]`,
        }],
        variables: [
          ...(this.controllerUsername === undefined ? [] : [{ name: 'isController', expression: `request.userInfo.username == "${this.controllerUsername}"` }]),
          { name: 'userNodeName', expression: 'request.userInfo.extra[?\'authentication.kubernetes.io/node-name\'][0].orValue(\'\')' },
          { name: 'objectNodeName', expression: '(request.operation == "DELETE" ? oldObject : object).spec.?nodeName.orValue("")' },
        ],
        validations: this.controllerUsername === undefined ? pluginValidations : [
          ...pluginValidations.map(v => ({ ...v, expression: `variables.isController || ${v.expression}` })),
          {
            expression: '!variables.isController || variables.objectNodeName == ""',
            messageExpression: '"the driver controller may not modify resourceslices on node \'" + variables.objectNodeName + "\': they belong to the kubelet plugin there"',
          },
        ],
      },
    });

    typedApiObject(this, 'binding', KubeValidatingAdmissionPolicyBinding, {
      metadata: { name: props.name, labels },
      spec: { policyName: props.name, validationActions: ['Deny'] },
    });
  }
}

/** `system:serviceaccount:<namespace>:<name>` of a ServiceAccount with an explicit namespace. */
function usernameOf(scope: Construct, prop: string, serviceAccount: IServiceAccount): string {
  const namespace = serviceAccount.toSubjectConfiguration().namespace;
  if (!namespace) {
    invalidProp(scope, prop, serviceAccount.name, 'must have an explicit metadata.namespace: the policy matches the full username');
  }
  if (namespace === 'default' && isImportedWithoutNamespace(serviceAccount)) {
    invalidProp(scope, prop, serviceAccount.name,
      'comes from ServiceAccount.fromServiceAccountName, which reads namespace default when namespaceName is left out: pass { namespaceName } (the policy matches the full username)');
  }
  return `system:serviceaccount:${namespace}:${serviceAccount.name}`;
}
