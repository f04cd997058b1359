import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DRA_GOOD_PRACTICES_ADMISSION_PROPS } from './admission-prop-types';
import { ADMISSION_RULE_IDS, admissionMessage, admissionRules, exemptionExpression } from './admission-rules';
import { invalidProp } from '../../common/errors';
import { suppressAnnotation } from '../../common/good-practice-ids';
import { standardLabels } from '../../common/labels';
import { isDnsSubdomain } from '../../common/names';
import { checkProps } from '../../common/prop-types';
import { typedApiObject } from '../../common/typed-objects';
import { KubeValidatingAdmissionPolicy, KubeValidatingAdmissionPolicyBinding } from '../../imports/k8s';

/** Properties of `DraGoodPracticesAdmission`. */
export interface DraGoodPracticesAdmissionProps {
  /**
   * The rules to enforce at admission, by id, among those judgeable on the one object
   * written (`DraGoodPracticesAdmission.RULE_IDS`: DRA001, DRA003, DRA004, DRA007, DRA013).
   * @default - all of them
   */
  readonly rules?: string[];

  /**
   * Rules whose policy refuses a non-compliant object (`validationActions: [Deny, Audit]`);
   * the others warn the client and annotate the audit event (`[Warn, Audit]`).
   * @default - none: every rule warns
   */
  readonly denyRules?: string[];

  /**
   * Every rule refuses non-compliant objects.
   * @default false
   */
  readonly denyAll?: boolean;

  /**
   * Host directories besides any path ending in `/plugins_registry` that mark a DaemonSet
   * as a kubelet plugin (the checker's `registrationDirs`, `--registration-dir`).
   * @default - none
   */
  readonly registrationDirs?: string[];

  /**
   * Prefix of the policies' and bindings' names: `<prefix>-dra001`.
   * @default 'cdk8s-dra-good-practices'
   */
  readonly namePrefix?: string;
}

/**
 * The good-practice rules that can be judged on one object, enforced by the API server:
 * one ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1) and binding per rule, on
 * creates and updates of DaemonSets (a kubelet plugin is one whose container mounts a hostPath
 * volume of the plugin registration directory) and of Roles and ClusterRoles.
 *
 * Each policy's message is its rule's id, title and fix, the same text `cdk8s-dra check`
 * reports. A rule warns the client and annotates the audit event unless `denyRules` or
 * `denyAll` makes it refuse. An object, or every object of a namespace, is exempted by the
 * suppression annotation `check` honours, `cdk8s-dra/suppress-<id>: "<reason>"`, on the object
 * or on its Namespace.
 *
 * Rules that need a second object (DRA005 and DRA014 need the ClusterRole a binding
 * references, DRA008 the policies beside a driver) stay with `check` and synthesis checks.
 */
export class DraGoodPracticesAdmission extends Construct {
  /** The ids of the rules judgeable at admission, in id order. */
  public static readonly RULE_IDS: string[] = [...ADMISSION_RULE_IDS];

  /** The annotation that exempts an object or namespace from rule `ruleId`: `cdk8s-dra/suppress-<ruleId>`. */
  public static exemptionAnnotation(ruleId: string): string {
    return suppressAnnotation(ruleId);
  }

  /** The ids of the rules enforced here. */
  public readonly ruleIds: string[];
  /** The ids of the rules whose policy denies. */
  public readonly denyingRuleIds: string[];
  /** The policies, one per rule, in id order. */
  public readonly policies: ApiObject[];
  /** The bindings, one per policy, in the same order. */
  public readonly bindings: ApiObject[];

  public constructor(scope: Construct, id: string, props: DraGoodPracticesAdmissionProps = {}) {
    super(scope, id);
    checkProps(this, props, DRA_GOOD_PRACTICES_ADMISSION_PROPS);
    const prefix = props.namePrefix ?? 'cdk8s-dra-good-practices';
    // The longest name is `<prefix>-draNNN`.
    if (!isDnsSubdomain(`${prefix}-dra000`)) {
      invalidProp(this, 'namePrefix', prefix, 'must make DNS subdomain names (RFC 1123) with -dra001 appended');
    }
    for (const prop of ['rules', 'denyRules'] as const) {
      for (const ruleId of props[prop] ?? []) {
        if (!ADMISSION_RULE_IDS.includes(ruleId)) {
          invalidProp(this, prop, ruleId, `must be a rule judgeable on one object at admission: ${ADMISSION_RULE_IDS.join(', ')}`);
        }
      }
    }
    this.ruleIds = ADMISSION_RULE_IDS.filter(ruleId => props.rules === undefined || props.rules.includes(ruleId));
    for (const ruleId of props.denyRules ?? []) {
      if (!this.ruleIds.includes(ruleId)) {
        invalidProp(this, 'denyRules', ruleId, `is not among the rules enforced here (${this.ruleIds.join(', ')})`);
      }
    }
    for (const dir of props.registrationDirs ?? []) {
      if (!dir.startsWith('/')) invalidProp(this, 'registrationDirs', dir, 'must be an absolute host path');
    }
    this.denyingRuleIds = this.ruleIds.filter(ruleId => props.denyAll === true || (props.denyRules ?? []).includes(ruleId));

    this.policies = [];
    this.bindings = [];
    for (const rule of admissionRules({ registrationDirs: props.registrationDirs ?? [] })) {
      const ruleId = rule.info.id;
      if (!this.ruleIds.includes(ruleId)) continue;
      const name = `${prefix}-${ruleId.toLowerCase()}`;
      const labels = standardLabels(name, 'good-practices-admission');
      this.policies.push(typedApiObject(this, `${ruleId}-policy`, KubeValidatingAdmissionPolicy, {
        metadata: { name, labels },
        spec: {
          // A failing expression is reported with the binding's actions: a warning, or a refusal where the rule denies.
          failurePolicy: 'Fail',
          matchConstraints: {
            matchPolicy: 'Equivalent',
            resourceRules: [{ apiGroups: rule.apiGroups, apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: rule.resources }],
          },
          variables: [
            ...rule.variables,
            // The annotation `check` honours, on the object or its namespace.
            { name: 'exempt', expression: exemptionExpression(ruleId) },
          ],
          validations: [{ expression: `variables.exempt || (${rule.compliant})`, message: admissionMessage(rule.info) }],
        },
      }));
      this.bindings.push(typedApiObject(this, `${ruleId}-binding`, KubeValidatingAdmissionPolicyBinding, {
        metadata: { name, labels },
        spec: { policyName: name, validationActions: this.denyingRuleIds.includes(ruleId) ? ['Deny', 'Audit'] : ['Warn', 'Audit'] },
      }));
    }
  }
}
