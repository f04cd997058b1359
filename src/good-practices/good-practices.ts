import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { GoodPracticesOptions } from './engine/check-options';
import { optionProblem, referenceOf, runChecks } from './engine/checker';
import { GoodPracticesReport, GoodPracticeRule } from './engine/finding';
import { SourcedObject } from './engine/object-index';
import { formatReport } from './engine/report-format';
import { checkPaths, validOptions } from './inputs/check-paths';
import { describeConstruct, invalidInput, invalidProp } from '../common/errors';
import { suppressAnnotation } from '../common/good-practice-ids';
import { currentSynthesis, oncePerSynthesis, trackSynthesis } from '../common/synthesis';
import { warn } from '../common/warnings';
import { ALL_RULES } from './rules/all-rules';

const SUPPRESSION_METADATA = 'cdk8s-dra:good-practices-suppression';
const ID = 'DraGoodPractices';

/**
 * Checks Kubernetes objects against the upstream page "Good practices for Dynamic Resource
 * Allocation as a Cluster Admin" (rules DRA001-DRA018).
 *
 * In an app, `DraGoodPractices.of(app)` makes synthesis fail, before any file is written,
 * with every finding listed (object, rule id, message, fix); `DraGoodPractices.of(chart)`
 * does the same for the objects under one construct. It checks every object by its shape: this library's constructs, `Include`d YAML, `Helm` charts and
 * hand-written `ApiObject`s alike. Accept a finding with
 * `DraGoodPractices.suppress(construct, ruleId, reason)`, or on one object (also in plain
 * YAML) with the annotation `cdk8s-dra/suppress-<ruleId>: "<reason>"`.
 *
 * Outside an app, `checkObjects` and `checkPaths` return the same report (the
 * `cdk8s-dra check` CLI is built on them).
 */
export class DraGoodPractices extends Construct {
  /**
   * Turns the checks on for the objects under `scope` (an App: all of them): synthesis fails
   * while any finding is neither fixed nor suppressed, or two objects have one group, kind,
   * namespace and name. On success, suppressed findings and rules that could not run (notes)
   * are printed to stderr. Calling it again for the same scope returns the same instance.
   *
   * @param scope the app, or the construct whose objects to check (a chart, a DraCluster)
   * @param options what objects cannot tell (cluster scale, kubelet version, admins)
   */
  public static of(scope: IConstruct, options?: GoodPracticesOptions): DraGoodPractices {
    const existing = scope.node.tryFindChild(ID);
    if (existing instanceof DraGoodPractices) {
      if (options !== undefined && JSON.stringify(options) !== JSON.stringify(existing.options)) {
        invalidProp(existing, 'options', options, `cannot be given twice with different values: pass them to the first DraGoodPractices.of(scope, options) call for ${scope.node.path || 'the app'}`);
      }
      return existing;
    }
    return new DraGoodPractices(scope, options ?? {});
  }

  /**
   * Accepts findings of rule `ruleId` on every object under `construct` (a chart, a
   * construct of this library, an `Include`, a single `ApiObject`). The reason is
   * mandatory and appears in the report. Each of those objects, also those added under
   * `construct` later, carries it as the annotation `cdk8s-dra/suppress-<ruleId>: <reason>`,
   * so `cdk8s-dra check` on the synthesized YAML accepts what synthesis accepted.
   *
   * @param construct the construct whose objects the suppression covers
   * @param ruleId the rule to accept, e.g. `DRA004`
   * @param reason why breaking the practice is acceptable here
   */
  public static suppress(construct: IConstruct, ruleId: string, reason: string): void {
    if (!ALL_RULES.some(rule => rule.info.id === ruleId)) {
      invalidProp(construct, 'ruleId', ruleId, `must be one of ${ALL_RULES.map(r => r.info.id).join(', ')}`);
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      invalidProp(construct, 'reason', reason, `must explain why ${ruleId} is suppressed`);
    }
    construct.node.addMetadata(SUPPRESSION_METADATA, { ruleId, reason: reason.trim() });
    annotateSuppressions(construct);
    const annotated = construct as IConstruct & { [ANNOTATES_LATER]?: boolean };
    if (!annotated[ANNOTATES_LATER]) {
      annotated[ANNOTATES_LATER] = true;
      // Validations run before any file is written: objects added after suppress() get the annotation too.
      construct.node.addValidation({ validate: () => { annotateSuppressions(construct); return []; } });
    }
  }

  /**
   * Checks plain Kubernetes objects (e.g. the JSON of synthesized manifests), and node config
   * documents recognised by their shape (k3s/RKE2 config maps, merged in the order given;
   * Talos machine configs).
   *
   * @param objects the objects to check
   * @param options what objects cannot tell
   */
  public static checkObjects(objects: any[], options?: GoodPracticesOptions): GoodPracticesReport {
    const opts = validOptions(options);
    return runChecks(objects.map(object => ({ object, ref: referenceOf(object) })), opts);
  }

  /**
   * Reads YAML/JSON manifests (files, or directories recursively) and checks all their
   * objects together, as one installation. Unreadable files and invalid documents are
   * listed in `inputErrors`; the other files are still checked. Node config files that set
   * control-plane flags (k3s/RKE2 `config.yaml` and `config.yaml.d/*.yaml`, Talos machine
   * configs and patches) are checked too; other YAML documents that are not Kubernetes
   * objects are skipped and listed in `notes`.
   *
   * @param paths files or directories
   * @param options what objects cannot tell
   */
  public static checkPaths(paths: string[], options?: GoodPracticesOptions): GoodPracticesReport {
    return checkPaths(paths, options);
  }

  /** Every rule: id, severity, title, the practice it enforces and the fix. */
  public static rules(): GoodPracticeRule[] {
    return ALL_RULES.map(rule => rule.info);
  }

  /**
   * A report as text: findings grouped by object, suppressions with reasons, notes, input
   * errors and a summary line.
   */
  public static formatReport(report: GoodPracticesReport): string {
    return formatReport(report);
  }

  private readonly options: GoodPracticesOptions;
  private readonly scopes: IConstruct[];

  private constructor(scope: IConstruct, options: GoodPracticesOptions) {
    const problem = optionProblem(options);
    if (problem) {
      // Not yet in the tree: named as it will be, `DraGoodPractices` alone at the app.
      const subject = scope.node.scope === undefined ? ID : `${ID} of ${describeConstruct(scope)}`;
      invalidInput(subject, problem.prop, problem.value, problem.rule);
    }
    super(scope as Construct, ID);
    this.options = options;
    this.scopes = [scope];
    // cdk8s runs validations before it writes any file: a failure leaves no manifest behind.
    this.node.addValidation({ validate: () => this.validateApp() });
    trackSynthesis(scope);
  }

  /**
   * Also checks the objects under `scope`, as part of the same installation (DraCluster's
   * control-plane chart, which sits beside it at the app's top level).
   * @internal
   */
  public _checkAlso(scope: IConstruct): void {
    this.scopes.push(scope);
  }

  /** Checks every object under the scope now. */
  public report(): GoodPracticesReport {
    const synthesis = currentSynthesis(this);
    const rendered: ApiObject[] = [];
    const sources: SourcedObject[] = [];
    for (const [apiObject, path] of apiObjectsUnder(this.scopes)) {
      const object = apiObject.toJson();
      // During synthesis each object's JSON is rendered once: the checks' rendering is what the charts write.
      if (synthesis !== undefined && !Object.prototype.hasOwnProperty.call(apiObject, 'toJson')) {
        Object.defineProperty(apiObject, 'toJson', { value: () => object, configurable: true });
        rendered.push(apiObject);
      }
      sources.push({ object, ref: referenceOf(object, path), owner: apiObject });
    }
    // Back to rendering on each call: after synthesis the objects may change.
    if (rendered.length > 0) synthesis!.onEnd.push(() => rendered.forEach(apiObject => delete (apiObject as { toJson?: unknown }).toJson));
    return runChecks(sources, this.options, source => suppressionsOf(source.owner as ApiObject));
  }

  private validateApp(): string[] {
    // Once per synthesis, although cdk8s 2.70 validates the app again for each chart it writes.
    const report = oncePerSynthesis(this, this, () => this.report());
    if (report.findings.length > 0 || report.inputErrors.length > 0) {
      return [`the app breaks DRA good practices (suppress with DraGoodPractices.suppress(construct, ruleId, reason)):\n${formatReport(report)}`];
    }
    // Nothing fails, but accepted findings and rules that could not run are still said:
    // once, although cdk8s 2.70 validates the app again for each chart it writes.
    if (report.suppressed.length > 0 || report.notes.length > 0) {
      warn(this, `DraGoodPractices: ${formatReport(report)}`);
    }
    return [];
  }
}

const ANNOTATES_LATER = Symbol.for('cdk8s-dra.suppressions-annotated');

/**
 * The ApiObjects under the scopes, in `findAll` order, each once, with its construct path
 * (`node.path`), built on the way down rather than by walking up from each object.
 */
function apiObjectsUnder(scopes: IConstruct[]): Map<ApiObject, string> {
  const found = new Map<ApiObject, string>();
  const visit = (construct: IConstruct, path: string): void => {
    if (ApiObject.isApiObject(construct) && !found.has(construct)) found.set(construct, path);
    for (const child of construct.node.children) {
      // The app's id is empty, and a path leaves it out.
      const id = child.node.id;
      visit(child, id === '' ? path : path === '' ? id : `${path}/${id}`);
    }
  };
  for (const scope of scopes) visit(scope, scope.node.path);
  return found;
}

/** Writes the suppressions in force on each object under `construct` as the annotations `check` reads. */
function annotateSuppressions(construct: IConstruct): void {
  for (const apiObject of construct.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c))) {
    for (const [ruleId, reason] of suppressionsOf(apiObject)) {
      apiObject.metadata.addAnnotation(suppressAnnotation(ruleId), reason);
    }
  }
}

/** Suppressions on the object and every scope above it; the closest one wins. */
function suppressionsOf(apiObject: ApiObject): Map<string, string> {
  const found = new Map<string, string>();
  for (const scope of apiObject.node.scopes) {
    for (const entry of scope.node.metadata) {
      if (entry.type === SUPPRESSION_METADATA) found.set(entry.data.ruleId, entry.data.reason);
    }
  }
  return found;
}
