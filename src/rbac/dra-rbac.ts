import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { writeAdminAccessPolicies, adminAccessPolicyNames } from './admin-access-policies';
import { ADMIN_ACCESS_NAMESPACE_LABEL, RBAC_API_GROUP } from './api';
import { DraRbacRules } from './persona-rules';
import { DRA_RBAC_PROPS } from './rbac-prop-types';
import { RbacSubject, subjectKey, toRbacSubjects, uniqueSubjects } from './subjects';
import { fromCdk8sPlus } from '../common/cdk8s-plus-structs';
import { IDraDriver } from '../common/driver';
import { refuseDuplicateObjects } from '../common/duplicate-objects';
import { invalidProp } from '../common/errors';
import { standardLabels } from '../common/labels';
import { isDnsLabel } from '../common/names';
import { checkProps } from '../common/prop-types';
import { checkCreatedNamespace } from '../common/system-namespaces';
import { typedApiObject } from '../common/typed-objects';
import * as k8s from '../imports/k8s';

/** A namespace where people deploy workloads that claim devices. */
export interface WorkloadNamespace {
  /** The namespace (it must exist; DraRbac does not create it). */
  readonly namespace: string;
  /** Who may create and manage ResourceClaims and ResourceClaimTemplates in it. */
  readonly operators: kplus.ISubject[];
}

/** Properties of `DraRbac`. */
export interface DraRbacProps {
  /**
   * Cluster admins of DRA: manage DeviceClasses, ResourceSlices and DeviceTaintRules, read
   * every claim, and the only ones who may add or remove the admin-access namespace label.
   * Include whoever applies these manifests (e.g. your GitOps controller's ServiceAccount)
   * when it creates admin-access namespaces.
   */
  readonly admins: kplus.ISubject[];

  /**
   * Read-only access to every DRA resource, cluster-wide.
   * @default - no viewer binding (the viewer ClusterRole is still created)
   */
  readonly viewers?: kplus.ISubject[];

  /**
   * Who may run `cdk8s-dra check --cluster`: list, read-only, the kinds the good-practice
   * rules read (`DraRbacRules.auditor()` cluster-wide, bound as `<prefix>-auditor`, and
   * `DraRbacRules.auditorInKubeSystem()` in kube-system). The list includes ConfigMaps,
   * cluster-wide (DRA011 reads alerting rule files in them), and no Secrets.
   * @default - no auditor roles or bindings
   */
  readonly auditors?: kplus.ISubject[];

  /**
   * Namespaces where operators manage claims and claim templates, bound with RoleBindings.
   * Operators also get read access to DeviceClasses, which are cluster-scoped.
   * @default - no operator bindings (the ClusterRoles are still created)
   */
  readonly workloadNamespaces?: WorkloadNamespace[];

  /**
   * Add DRA claims to the built-in `admin`, `edit` and `view` ClusterRoles through
   * aggregation labels. Convenient, but then every holder of `edit` in any namespace may
   * claim devices there, and the per-namespace operator bindings no longer limit who can.
   * @default false
   */
  readonly aggregateToBuiltInRoles?: boolean;

  /**
   * The only namespaces where claims may request `adminAccess: true` (access to devices
   * in use by others). DraRbac creates them with the label
   * `resource.kubernetes.io/admin-access: "true"`.
   * @default - admin access is denied in every namespace
   */
  readonly adminAccessNamespaces?: string[];

  /**
   * The DRA drivers of the cluster. Their kubelet plugins get exactly their own rules from
   * `DraDriver`; naming one of their ServiceAccounts in a persona here would widen that, so
   * it is refused.
   * @default - no drivers are known
   */
  readonly drivers?: IDraDriver[];

  /**
   * Prefix of every object name (`<prefix>-admin`, `<prefix>-viewer`...).
   * @default 'dra'
   */
  readonly namePrefix?: string;
}

/**
 * Least-privilege access to the DRA APIs for each persona, and admin access locked down.
 *
 * Objects (with the default prefix `dra`):
 * - ClusterRole + ClusterRoleBinding `dra-admin` (admins);
 * - ClusterRole `dra-workload-operator`, bound by a RoleBinding `dra-workload-operator` in
 *   each workload namespace, and ClusterRole + ClusterRoleBinding `dra-device-class-reader`
 *   for the same operators (DeviceClasses are cluster-scoped);
 * - ClusterRole `dra-viewer`, and a ClusterRoleBinding `dra-viewer` when viewers are given;
 * - with aggregation, ClusterRoles `dra-aggregate-to-edit` and `dra-aggregate-to-view`;
 * - ValidatingAdmissionPolicies and bindings `dra-admin-access-claims`,
 *   `dra-admin-access-claim-templates` and `dra-admin-access-namespace-label`;
 * - a Namespace for each admin-access namespace, with the admin-access label.
 */
export class DraRbac extends Construct {
  /** The namespace label that allows admin access to devices (Kubernetes 1.34+). */
  public static readonly ADMIN_ACCESS_LABEL = ADMIN_ACCESS_NAMESPACE_LABEL;

  /** The admin ClusterRole's name. */
  public readonly adminRoleName: string;
  /** The workload-operator ClusterRole's name (bind it per namespace). */
  public readonly workloadOperatorRoleName: string;
  /** The DeviceClass-reader ClusterRole's name (bind it cluster-wide). */
  public readonly deviceClassReaderRoleName: string;
  /** The viewer ClusterRole's name. */
  public readonly viewerRoleName: string;
  /** The namespaces where admin access is allowed, as given. */
  public readonly adminAccessNamespaces: string[];
  /** The names of the ValidatingAdmissionPolicies (each binding has its policy's name). */
  public readonly admissionPolicyNames: string[];

  public constructor(scope: Construct, id: string, props: DraRbacProps) {
    super(scope, id);
    checkProps(this, props, DRA_RBAC_PROPS);

    const prefix = props.namePrefix ?? 'dra';
    // The longest name is `<prefix>-admin-access-claim-templates`, within a 63-character label.
    if (!isDnsLabel(prefix) || prefix.length > 30) {
      invalidProp(this, 'namePrefix', prefix, 'must be an RFC 1123 label of at most 30 characters');
    }
    const admins = toRbacSubjects(this, 'admins', props.admins, false);
    const viewers = props.viewers === undefined ? undefined : toRbacSubjects(this, 'viewers', props.viewers, true);
    const auditors = props.auditors === undefined ? undefined : toRbacSubjects(this, 'auditors', props.auditors, false);
    const workloadNamespaces = this.validateWorkloadNamespaces(props.workloadNamespaces ?? []);
    const adminAccessNamespaces = this.validateNamespaceList('adminAccessNamespaces', props.adminAccessNamespaces ?? []);
    adminAccessNamespaces.forEach(ns => checkCreatedNamespace(this, 'adminAccessNamespaces', ns, `${ADMIN_ACCESS_NAMESPACE_LABEL}: "true"`));
    this.refuseDriverServiceAccounts(props.drivers ?? [], [
      { prop: 'admins', subjects: admins },
      { prop: 'viewers', subjects: viewers ?? [] },
      { prop: 'auditors', subjects: auditors ?? [] },
      ...workloadNamespaces.map(ns => ({ prop: `workloadNamespaces[${ns.namespace}].operators`, subjects: ns.operators })),
    ]);

    this.adminRoleName = `${prefix}-admin`;
    this.workloadOperatorRoleName = `${prefix}-workload-operator`;
    this.deviceClassReaderRoleName = `${prefix}-device-class-reader`;
    this.viewerRoleName = `${prefix}-viewer`;
    this.adminAccessNamespaces = adminAccessNamespaces;
    const policyNames = adminAccessPolicyNames(prefix);
    this.admissionPolicyNames = [policyNames.claims, policyNames.claimTemplates, policyNames.namespaceLabel];
    const appName = `${prefix}-rbac`;

    this.clusterRole(this.adminRoleName, DraRbacRules.admin(), standardLabels(appName, 'admin'));
    this.clusterRoleBinding(this.adminRoleName, this.adminRoleName, admins, standardLabels(appName, 'admin'));

    const operatorLabels = standardLabels(appName, 'workload-operator');
    this.clusterRole(this.workloadOperatorRoleName, DraRbacRules.workloadOperator(), operatorLabels);
    this.clusterRole(this.deviceClassReaderRoleName, DraRbacRules.deviceClassReader(), operatorLabels);
    for (const ns of workloadNamespaces) {
      // Written as the JSON the generated conversion (k8s.KubeRoleBinding.manifest) makes of these props, field by
      // field: one object per workload namespace, and the conversion's spreads over every ObjectMeta field were a
      // third of a large installation's construction time.
      const roleBinding: k8s.KubeRoleBindingProps & typeof k8s.KubeRoleBinding.GVK = {
        ...k8s.KubeRoleBinding.GVK,
        metadata: { name: this.workloadOperatorRoleName, namespace: ns.namespace, labels: { ...operatorLabels } },
        roleRef: { apiGroup: RBAC_API_GROUP, kind: 'ClusterRole', name: this.workloadOperatorRoleName },
        subjects: ns.operators.map(subjectJson),
      };
      new ApiObject(this, `operators-${ns.namespace}`, roleBinding);
    }
    const allOperators = uniqueSubjects(workloadNamespaces.flatMap(ns => ns.operators));
    if (allOperators.length > 0) {
      this.clusterRoleBinding(this.deviceClassReaderRoleName, this.deviceClassReaderRoleName, allOperators, operatorLabels);
    }

    const viewerLabels = standardLabels(appName, 'viewer');
    this.clusterRole(this.viewerRoleName, DraRbacRules.viewer(), viewerLabels);
    if (viewers) {
      this.clusterRoleBinding(this.viewerRoleName, this.viewerRoleName, viewers, viewerLabels);
    }

    if (auditors) {
      const auditorLabels = standardLabels(appName, 'auditor');
      const auditorRoleName = `${prefix}-auditor`;
      this.clusterRole(auditorRoleName, DraRbacRules.auditor(), auditorLabels);
      this.clusterRoleBinding(auditorRoleName, auditorRoleName, auditors, auditorLabels);
      typedApiObject(this, 'auditor-kube-system-role', k8s.KubeRole, {
        metadata: { name: auditorRoleName, namespace: 'kube-system', labels: { ...auditorLabels } },
        rules: fromCdk8sPlus.policyRules(DraRbacRules.auditorInKubeSystem()),
      });
      typedApiObject(this, 'auditor-kube-system-binding', k8s.KubeRoleBinding, {
        metadata: { name: auditorRoleName, namespace: 'kube-system', labels: { ...auditorLabels } },
        roleRef: { apiGroup: RBAC_API_GROUP, kind: 'Role', name: auditorRoleName },
        subjects: auditors.map(s => ({ ...s })),
      });
    }

    if (props.aggregateToBuiltInRoles ?? false) {
      const aggregationLabels = standardLabels(appName, 'aggregation');
      this.clusterRole(`${prefix}-aggregate-to-edit`, DraRbacRules.workloadOperator(), {
        ...aggregationLabels,
        [`${RBAC_API_GROUP}/aggregate-to-admin`]: 'true',
        [`${RBAC_API_GROUP}/aggregate-to-edit`]: 'true',
      });
      this.clusterRole(`${prefix}-aggregate-to-view`, DraRbacRules.claimReader(), {
        ...aggregationLabels,
        [`${RBAC_API_GROUP}/aggregate-to-view`]: 'true',
      });
    }

    const guardLabels = standardLabels(appName, 'admin-access-guard');
    for (const namespace of adminAccessNamespaces) {
      typedApiObject(this, `admin-access-${namespace}`, k8s.KubeNamespace, {
        metadata: { name: namespace, labels: { ...guardLabels, [ADMIN_ACCESS_NAMESPACE_LABEL]: 'true' } },
      });
    }
    writeAdminAccessPolicies(this, { namePrefix: prefix, allowedNamespaces: adminAccessNamespaces, admins, labels: guardLabels });
    refuseDuplicateObjects(this);
  }

  private validateWorkloadNamespaces(namespaces: WorkloadNamespace[]): Array<{ namespace: string; operators: RbacSubject[] }> {
    this.validateNamespaceList('workloadNamespaces', namespaces.map(ns => ns.namespace));
    return namespaces.map(ns => ({
      namespace: ns.namespace,
      operators: toRbacSubjects(this, `workloadNamespaces[${ns.namespace}].operators`, ns.operators, false),
    }));
  }

  private refuseDriverServiceAccounts(drivers: IDraDriver[], personas: Array<{ prop: string; subjects: RbacSubject[] }>): void {
    const driverAccounts = new Map(drivers.map(d => [
      subjectKey({ kind: 'ServiceAccount', namespace: d.namespace, name: d.serviceAccountName }), d.driverName,
    ]));
    for (const { prop, subjects } of personas) {
      for (const subject of subjects) {
        const driverName = driverAccounts.get(subjectKey(subject));
        if (driverName !== undefined) {
          invalidProp(this, prop, `${subject.namespace}/${subject.name}`,
            `is the kubelet plugin ServiceAccount of driver ${driverName}: it must keep only the driver's own rules (least privilege)`);
        }
      }
    }
  }

  private validateNamespaceList(prop: string, namespaces: string[]): string[] {
    const seen = new Set<string>();
    for (const namespace of namespaces) {
      if (!isDnsLabel(namespace)) {
        invalidProp(this, prop, namespace, 'must be a namespace name (RFC 1123 label: lowercase letters, digits and "-", at most 63 characters)');
      }
      if (seen.has(namespace)) {
        invalidProp(this, prop, namespace, 'is listed twice');
      }
      seen.add(namespace);
    }
    return [...namespaces];
  }

  private clusterRole(name: string, rules: kplus.k8s.PolicyRule[], labels: { [key: string]: string }): void {
    typedApiObject(this, `role-${name}`, k8s.KubeClusterRole, { metadata: { name, labels }, rules: fromCdk8sPlus.policyRules(rules) });
  }

  private clusterRoleBinding(name: string, roleName: string, subjects: RbacSubject[], labels: { [key: string]: string }): void {
    typedApiObject(this, `binding-${name}`, k8s.KubeClusterRoleBinding, {
      metadata: { name, labels: { ...labels } },
      roleRef: { apiGroup: RBAC_API_GROUP, kind: 'ClusterRole', name: roleName },
      subjects: subjects.map(s => ({ ...s })),
    });
  }
}

/** A subject as RBAC's JSON has it: the fields the generated conversion keeps, those that are set. */
function subjectJson(subject: RbacSubject): k8s.Subject {
  return {
    kind: subject.kind,
    name: subject.name,
    ...(subject.apiGroup !== undefined ? { apiGroup: subject.apiGroup } : {}),
    ...(subject.namespace !== undefined ? { namespace: subject.namespace } : {}),
  };
}
