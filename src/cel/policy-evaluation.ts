import { compileDirect, DirectProgram, OutsideSubset } from './cel-direct';
import { compileCel, CompiledCel, toCel } from './cel-expression';
import { asArray, covers } from '../common/lists';

/** One write request as the API server hands it to admission. */
export interface AdmissionRequest {
  readonly group: string;
  /** The version the client wrote through. */
  readonly version: string;
  readonly kind: string;
  readonly resource: string;
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE';
  readonly name: string;
  readonly userInfo: { readonly username: string; readonly uid: string; readonly groups: string[]; readonly extra: { [key: string]: string[] } };
  /** The object written (null for DELETE). */
  readonly object: any;
  /** The object before the write (null for CREATE). */
  readonly oldObject: any;
  /** The Namespace of a namespaced object (null, or left out, for a cluster-scoped one). */
  readonly namespaceObject?: any;
}

/** What one policy does with one request. */
export type PolicyVerdict =
  | { readonly kind: 'admit'; readonly why: AdmitReason }
  | { readonly kind: 'deny'; readonly message: string }
  | { readonly kind: 'cannot-evaluate'; readonly reason: string };

/** Why a policy let a request through. */
export enum AdmitReason {
  /** Its match constraints do not cover the request (API version, operation, resource, selectors). */
  NOT_MATCHED = 'not-matched',
  /** No binding enforces it with `validationActions: [Deny]` for this request. */
  NOT_ENFORCED = 'not-enforced',
  /** A match condition is false: the policy does not apply to this request. */
  CONDITION_FALSE = 'condition-false',
  /** Every validation holds. */
  VALIDATIONS_PASS = 'validations-pass',
}

/**
 * A ValidatingAdmissionPolicy with its bindings, parsed once and evaluated on requests the
 * way the API server does: match constraints (with `matchPolicy: Equivalent`, a request
 * through one version matches a rule for another version the server serves), the binding's
 * match resources and actions, match conditions, variables in order, then validations;
 * an expression that fails to evaluate falls under the policy's `failurePolicy`.
 */
export class PolicyEvaluator {
  private readonly spec: any;
  private readonly compiled = new Map<string, CompiledCel>();
  /** The policy's expressions compiled for direct evaluation, once; null when one is outside the subset. */
  private direct?: DirectPolicy | null;
  /**
   * The username a match condition `request.userInfo.username == "<name>"` restricts the
   * policy to: a false match condition skips the policy whatever the others give, so other
   * users' requests need no CEL (with many drivers, each with its own policy, the checks
   * would otherwise evaluate every policy for every driver).
   */
  public readonly onlyUsername?: string;

  constructor(public readonly policy: any, private readonly bindings: any[]) {
    this.spec = policy?.spec ?? {};
    for (const condition of asArray(this.spec.matchConditions)) {
      const username = usernameOf(condition?.expression);
      if (username !== undefined) this.onlyUsername = username;
    }
  }

  public get name(): string {
    return String(this.policy?.metadata?.name ?? '<unnamed>');
  }

  /** Whether the policy's rules could match writes of `resource` in `group` through any version. */
  public concerns(group: string, resource: string): boolean {
    return asArray(this.spec.matchConstraints?.resourceRules).some(rule => covers(rule.apiGroups, group) && coversResource(rule.resources, resource));
  }

  /**
   * The verdict on `request` when the server serves `servedVersions` of the request's
   * resource (the request's own version among them).
   */
  public evaluate(request: AdmissionRequest, servedVersions: readonly string[]): PolicyVerdict {
    // Checked first: with many drivers, each with its own policy, most policies are other drivers'.
    if (this.onlyUsername !== undefined && this.onlyUsername !== request.userInfo.username) return { kind: 'admit', why: AdmitReason.CONDITION_FALSE };
    if (this.spec.paramKind !== undefined) return { kind: 'cannot-evaluate', reason: 'it takes parameters (paramKind)' };
    const version = matchedVersion(this.spec.matchConstraints, request, servedVersions);
    if (version === undefined || !selectorsMatch(this.spec.matchConstraints, request)) return { kind: 'admit', why: AdmitReason.NOT_MATCHED };
    const enforcing = this.bindings.filter(b => asArray(b?.spec?.validationActions).includes('Deny')
      && (b.spec.matchResources === undefined || (matchedVersion(b.spec.matchResources, request, servedVersions, true) !== undefined
        && selectorsMatch(b.spec.matchResources, request))));
    if (enforcing.length === 0) return { kind: 'admit', why: AdmitReason.NOT_ENFORCED };
    if (enforcing.some(b => b.spec.paramRef !== undefined)) return { kind: 'cannot-evaluate', reason: 'a binding passes parameters (paramRef)' };

    const failClosed = (this.spec.failurePolicy ?? 'Fail') === 'Fail';
    const direct = this.evaluateDirectly(request, version);
    if (direct !== undefined) return direct;
    const bindings: Record<string, unknown> = { ...celBindings(request, version) };

    let errored: string | undefined;
    for (const condition of asArray(this.spec.matchConditions)) {
      // `request.userInfo.username == "<name>"` needs no CEL: each driver's policy has its own, and compiling them all was most of DRA008's time.
      const username = usernameOf(condition?.expression);
      if (username !== undefined) {
        if (username !== request.userInfo.username) return { kind: 'admit', why: AdmitReason.CONDITION_FALSE };
        continue;
      }
      const outcome = this.run(condition?.expression, bindings);
      if (outcome.kind === 'cannot-evaluate') return outcome;
      if (outcome.kind === 'error') errored ??= `match condition ${condition?.name}: ${outcome.message}`;
      else if (outcome.value === false) return { kind: 'admit', why: AdmitReason.CONDITION_FALSE };
    }
    if (errored !== undefined) {
      return failClosed ? { kind: 'deny', message: `${errored} (failurePolicy Fail)` } : { kind: 'admit', why: AdmitReason.CONDITION_FALSE };
    }

    // Variables are evaluated in order, each seeing the earlier ones; one that fails is an error where it is used.
    const variables = new Map<string, unknown>();
    for (const variable of asArray(this.spec.variables)) {
      bindings.variables = toCel(variables);
      const outcome = this.run(variable?.expression, bindings);
      if (outcome.kind === 'cannot-evaluate') return outcome;
      if (outcome.kind === 'value') variables.set(String(variable?.name), outcome.value);
    }
    bindings.variables = toCel(variables);
    for (const validation of asArray(this.spec.validations)) {
      const outcome = this.run(validation?.expression, bindings);
      if (outcome.kind === 'cannot-evaluate') return outcome;
      if (outcome.kind === 'error') {
        if (failClosed) return { kind: 'deny', message: `${outcome.message} (failurePolicy Fail)` };
      } else if (outcome.value !== true) {
        return { kind: 'deny', message: this.messageOf(validation, bindings) };
      }
    }
    return { kind: 'admit', why: AdmitReason.VALIDATIONS_PASS };
  }

  /**
   * A failed validation's message as the server gives it: its `messageExpression` when that
   * evaluates to a string, else its `message`, else the expression.
   */
  private messageOf(validation: any, bindings: Record<string, unknown>): string {
    if (validation?.messageExpression !== undefined) {
      const outcome = this.run(validation.messageExpression, bindings);
      if (outcome.kind === 'value' && typeof outcome.value === 'string') return outcome.value;
    }
    return staticMessage(validation);
  }

  /**
   * The verdict from the directly evaluated CEL subset (cel-direct.ts); undefined when an
   * expression or a value is outside it, and @bufbuild/cel must evaluate the policy.
   */
  private evaluateDirectly(request: AdmissionRequest, version: string): PolicyVerdict | undefined {
    this.direct ??= this.compileDirectly() ?? null;
    if (this.direct === null) return undefined;
    const { conditions, variables, validations } = this.direct;
    const json = jsonBindings(request, version);
    const values: Record<string, unknown> = {};
    // Each variable sees those before it: `values` fills in order.
    const bindings: Record<string, unknown> = { ...json, variables: values };
    try {
      for (const condition of conditions) {
        if (condition.username !== undefined) {
          if (condition.username !== request.userInfo.username) return { kind: 'admit', why: AdmitReason.CONDITION_FALSE };
        } else if (!booleanOf(condition.program!(bindings))) {
          return { kind: 'admit', why: AdmitReason.CONDITION_FALSE };
        }
      }
      for (const variable of variables) values[variable.name] = variable.program(bindings);
      for (const validation of validations) {
        if (!booleanOf(validation.program(bindings))) return { kind: 'deny', message: this.directMessage(validation, bindings, request, version) };
      }
    } catch (e) {
      if (e instanceof OutsideSubset) return undefined;
      throw e;
    }
    return { kind: 'admit', why: AdmitReason.VALIDATIONS_PASS };
  }

  /** Every expression of the policy compiled for direct evaluation; undefined when one is outside the subset. */
  private compileDirectly(): DirectPolicy | undefined {
    const program = (expression: unknown) => compileDirect(String(expression ?? ''));
    const conditions: DirectPolicy['conditions'] = [];
    for (const condition of asArray(this.spec.matchConditions)) {
      const username = usernameOf(condition?.expression);
      const compiled = username === undefined ? program(condition?.expression) : undefined;
      if (username === undefined && compiled === undefined) return undefined;
      conditions.push({ username, program: compiled });
    }
    const variables: DirectPolicy['variables'] = [];
    for (const variable of asArray(this.spec.variables)) {
      const compiled = program(variable?.expression);
      if (compiled === undefined) return undefined;
      variables.push({ name: String(variable?.name), program: compiled });
    }
    const validations: DirectPolicy['validations'] = [];
    for (const validation of asArray(this.spec.validations)) {
      const compiled = program(validation?.expression);
      if (compiled === undefined) return undefined;
      const messageProgram = validation?.messageExpression === undefined ? undefined : program(validation.messageExpression);
      validations.push({ validation, program: compiled, messageProgram });
    }
    return { conditions, variables, validations };
  }

  /**
   * A failed validation's message from the direct evaluation: its `messageExpression` where
   * that is inside the subset; where it is not, @bufbuild/cel evaluates the message alone
   * (on the variables the direct evaluation computed), so the message is the server's.
   */
  private directMessage(validation: DirectValidation, bindings: Record<string, unknown>, request: AdmissionRequest, version: string): string {
    if (validation.validation?.messageExpression === undefined) return staticMessage(validation.validation);
    if (validation.messageProgram !== undefined) {
      try {
        const value = validation.messageProgram(bindings);
        return typeof value === 'string' ? value : staticMessage(validation.validation);
      } catch (e) {
        if (!(e instanceof OutsideSubset)) throw e;
      }
    }
    const variables = new Map(Object.entries(bindings.variables as Record<string, unknown>));
    return this.messageOf(validation.validation, { ...celBindings(request, version), variables: toCel(variables) });
  }

  private run(expression: unknown, bindings: Record<string, unknown>):
  { kind: 'value'; value: unknown } | { kind: 'error'; message: string } | { kind: 'cannot-evaluate'; reason: string } {
    const text = String(expression ?? '');
    let compiled = this.compiled.get(text);
    if (!compiled) {
      compiled = compileCel(text);
      this.compiled.set(text, compiled);
    }
    if (compiled.kind === 'unsupported') return { kind: 'cannot-evaluate', reason: `its expression ${JSON.stringify(text)} ${compiled.reason}` };
    const outcome = compiled.run(bindings);
    if (outcome.kind === 'unsupported') return { kind: 'cannot-evaluate', reason: `its expression ${JSON.stringify(text)} ${outcome.reason}` };
    return outcome;
  }
}

/** A policy's expressions, compiled for direct evaluation on JSON bindings. */
interface DirectPolicy {
  /** A match condition on the username alone is compared, not evaluated. */
  readonly conditions: Array<{ readonly username?: string; readonly program?: DirectProgram }>;
  readonly variables: Array<{ readonly name: string; readonly program: DirectProgram }>;
  readonly validations: DirectValidation[];
}

/** A validation compiled for direct evaluation. */
interface DirectValidation {
  readonly validation: any;
  readonly program: DirectProgram;
  /** Its `messageExpression` compiled, where that is inside the subset. */
  readonly messageProgram?: DirectProgram;
}

/** A failed validation's message when no `messageExpression` gives one: its `message`, else its expression. */
function staticMessage(validation: any): string {
  return String(validation?.message ?? validation?.expression);
}

/** A condition's or validation's value; anything but a boolean is left to @bufbuild/cel. */
function booleanOf(value: unknown): boolean {
  if (typeof value !== 'boolean') throw new OutsideSubset('not a boolean');
  return value;
}

/** `request.userInfo.username == "name"` (either quote, either side). */
const USERNAME_CONDITION = /^(?:request\.userInfo\.username\s*==\s*(?:"([^"\\]*)"|'([^'\\]*)')|(?:"([^"\\]*)"|'([^'\\]*)')\s*==\s*request\.userInfo\.username)$/;

/** The name a match condition `request.userInfo.username == "<name>"` (either way round) compares with; undefined for any other expression. */
function usernameOf(expression: unknown): string | undefined {
  const match = USERNAME_CONDITION.exec(String(expression ?? '').trim());
  return match ? match[1] ?? match[2] ?? match[3] ?? match[4] : undefined;
}

/** The request's CEL bindings in `version`, converted once for every policy that evaluates it. */
const converted = new WeakMap<AdmissionRequest, Map<string, Record<string, unknown>>>();
function celBindings(request: AdmissionRequest, version: string): Record<string, unknown> {
  const byVersion = converted.get(request) ?? new Map<string, Record<string, unknown>>();
  converted.set(request, byVersion);
  let bindings = byVersion.get(version);
  if (!bindings) {
    bindings = {
      request: toCel(requestBinding(request, version)),
      object: toCel(request.object === null ? null : { ...request.object, apiVersion: `${request.group}/${version}` }),
      oldObject: toCel(request.oldObject === null ? null : { ...request.oldObject, apiVersion: `${request.group}/${version}` }),
      namespaceObject: toCel(request.namespaceObject ?? null),
    };
    byVersion.set(version, bindings);
  }
  return bindings;
}

/** The request's bindings in `version` as JSON, for direct evaluation; built once for every policy that evaluates it. */
const jsonConverted = new WeakMap<AdmissionRequest, Map<string, Record<string, unknown>>>();
function jsonBindings(request: AdmissionRequest, version: string): Record<string, unknown> {
  const byVersion = jsonConverted.get(request) ?? new Map<string, Record<string, unknown>>();
  jsonConverted.set(request, byVersion);
  let bindings = byVersion.get(version);
  if (!bindings) {
    bindings = {
      request: requestBinding(request, version),
      object: request.object === null ? null : { ...request.object, apiVersion: `${request.group}/${version}` },
      oldObject: request.oldObject === null ? null : { ...request.oldObject, apiVersion: `${request.group}/${version}` },
      namespaceObject: request.namespaceObject ?? null,
    };
    byVersion.set(version, bindings);
  }
  return bindings;
}

// `resources` as admission rules read them: `*` is every resource, `*/*` every resource and subresource.
function coversResource(resources: unknown, resource: string): boolean {
  return asArray(resources).some(r => r === resource || r === '*' || r === '*/*');
}

function ruleCovers(rule: any, request: AdmissionRequest, version: string): boolean {
  const scope = rule?.scope ?? '*';
  return covers(rule?.apiGroups, request.group) && covers(rule?.apiVersions, version) && coversResource(rule?.resources, request.resource)
    && covers(rule?.operations, request.operation) && (scope === '*' || scope === 'Cluster')
    && (asArray(rule?.resourceNames).length === 0 || asArray(rule.resourceNames).includes(request.name));
}

/**
 * The version the request is evaluated in: its own when a rule names it; with
 * `matchPolicy: Equivalent` (the default), another served version a rule names.
 * Undefined when no rule matches, or an exclude rule does. For a binding's
 * `matchResources`, no `resourceRules` means everything the policy matched.
 */
function matchedVersion(match: any, request: AdmissionRequest, servedVersions: readonly string[], emptyMatchesAll = false): string | undefined {
  const rules = asArray(match?.resourceRules);
  const excluded = asArray(match?.excludeResourceRules);
  const candidates = (match?.matchPolicy ?? 'Equivalent') === 'Exact'
    ? [request.version]
    : [request.version, ...servedVersions.filter(v => v !== request.version)];
  for (const version of candidates) {
    if (excluded.some(rule => ruleCovers(rule, request, version))) return undefined;
  }
  if (emptyMatchesAll && rules.length === 0) return request.version;
  return candidates.find(version => rules.some(rule => ruleCovers(rule, request, version)));
}

/** The object selector (the namespace selector never skips a cluster-scoped resource). */
/**
 * The object selector on the object (or the old one), and the namespace selector on the
 * namespace of a namespaced request (a cluster-scoped one passes it, as on the server).
 */
function selectorsMatch(match: any, request: AdmissionRequest): boolean {
  const namespaceSelector = match?.namespaceSelector;
  if (namespaceSelector !== undefined && request.namespaceObject
    && !labelSelectorMatches(namespaceSelector, request.namespaceObject.metadata?.labels ?? {})) return false;
  const selector = match?.objectSelector;
  if (selector === undefined) return true;
  return [request.object, request.oldObject].some(o => o !== null && labelSelectorMatches(selector, o?.metadata?.labels ?? {}));
}

function labelSelectorMatches(selector: any, labels: { [key: string]: string }): boolean {
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  return asArray(selector?.matchExpressions).every(e => {
    const has = Object.prototype.hasOwnProperty.call(labels, e?.key);
    const values = asArray(e?.values);
    switch (e?.operator) {
      case 'In': return has && values.includes(labels[e.key]);
      case 'NotIn': return !has || !values.includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
}

function requestBinding(request: AdmissionRequest, version: string): unknown {
  return {
    uid: '00000000-0000-0000-0000-000000000000',
    kind: { group: request.group, version, kind: request.kind },
    resource: { group: request.group, version, resource: request.resource },
    requestKind: { group: request.group, version: request.version, kind: request.kind },
    requestResource: { group: request.group, version: request.version, resource: request.resource },
    name: request.name,
    // The namespace of a namespaced request; the server gives "" for a cluster-scoped one.
    namespace: String(request.namespaceObject?.metadata?.name ?? ''),
    operation: request.operation,
    userInfo: request.userInfo,
    dryRun: false,
    options: { apiVersion: 'meta.k8s.io/v1', kind: `${request.operation === 'DELETE' ? 'Delete' : request.operation === 'CREATE' ? 'Create' : 'Update'}Options` },
  };
}
