import { FindingSeverity } from './severity';

/** Which Kubernetes object a finding is about, and where it came from. */
export interface FindingObject {
  /** The object's `apiVersion` (empty for a node config file, which has none). */
  readonly apiVersion: string;
  /**
   * The object's `kind`; for a node config file, what it is: `k3s config`, `RKE2 config`,
   * `k3s/RKE2 config` or `Talos machine config`.
   */
  readonly kind: string;
  /** The object's `metadata.name` (`<unnamed>` when it has none); for a node config file, the file's name. */
  readonly name: string;
  /**
   * The object's `metadata.namespace`.
   * @default - cluster-scoped, or no namespace set
   */
  readonly namespace?: string;
  /**
   * Where the object was read: `file.yaml:12` (line of the document) or a construct path.
   * @default - unknown (objects passed in directly)
   */
  readonly location?: string;
}

/** What a good-practice rule is, independent of any finding. */
export interface GoodPracticeRule {
  /** Stable identifier, e.g. `DRA001`. */
  readonly id: string;
  /** How bad breaking it is. */
  readonly severity: FindingSeverity;
  /** One line: what the rule looks for. */
  readonly title: string;
  /** The practice of the upstream page it enforces, and why it matters. */
  readonly practice: string;
  /** How to comply. */
  readonly fix: string;
}

/** One object breaking one rule. */
export interface GoodPracticeFinding {
  /** The rule's id, e.g. `DRA001`. */
  readonly ruleId: string;
  /** The rule's severity. */
  readonly severity: FindingSeverity;
  /** The object at fault. */
  readonly object: FindingObject;
  /** What is wrong with this object, citing the page's practice. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** A finding that a suppression accepted, with the reason given. */
export interface SuppressedFinding {
  /** The finding. */
  readonly finding: GoodPracticeFinding;
  /** Why it was accepted. */
  readonly reason: string;
}

/** The result of checking a set of objects. */
export interface GoodPracticesReport {
  /** Findings not suppressed, ordered by object then rule id. */
  readonly findings: GoodPracticeFinding[];
  /** Findings accepted by a suppression, with their reasons. */
  readonly suppressed: SuppressedFinding[];
  /** Rules that could not run, and why (e.g. no declared cluster scale). */
  readonly notes: string[];
  /**
   * Inputs that could not be read or checked (file, document, line, reason), and objects given
   * twice (same API group, kind, namespace and name); the objects of the others were checked.
   */
  readonly inputErrors: string[];
  /** Files without a document and directories without a manifest file: nothing there was checked. */
  readonly emptyInputs: string[];
  /** Number of objects checked. */
  readonly objectCount: number;
}
