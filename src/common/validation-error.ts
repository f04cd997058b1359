import { formatValue } from './format-value';

const VALIDATION_ERROR = Symbol.for('cdk8s-dra.DraValidationError');

/** Tells this library's errors apart, in every jsii language. */
export class DraErrors {
  /**
   * Whether `x` is a refusal of bad input (a `DraValidationError`: construct path, prop,
   * value and rule), as opposed to a bug or an error of another library.
   *
   * @param x the caught error
   */
  public static isValidationError(x: any): boolean {
    return typeof x === 'object' && x !== null && VALIDATION_ERROR in x;
  }

  private constructor() {}
}

/** jsii cannot model a subclass of `Error` itself: this unexported base keeps it out of the type model. */
abstract class DraError extends Error {}

/**
 * The one error this library throws for bad input: synthesis stops before any file is
 * written. The message names the construct, the prop, the value and the rule it breaks,
 * e.g. `DraDriver 'gpu' (chart/gpu): driverName 'GPU_1' must be a DNS subdomain (RFC 1123)`;
 * the same parts are fields, for tools that catch it.
 *
 * Exported for TypeScript and JavaScript (`e instanceof DraValidationError`); jsii cannot
 * model a subclass of `Error`, so it is `@internal` to the other languages, where a
 * refusal arrives as the runtime's own exception with this message and
 * `DraErrors.isValidationError` tells it apart.
 *
 * @internal
 */
export class DraValidationError extends DraError {
  /**
   * The construct's path in the tree (`chart/gpu`), or `''` for input that belongs to no
   * construct (a `ClusterScale` given to `ControlPlaneSizing.recommend`, options of
   * `DraGoodPractices.checkPaths`).
   */
  public readonly constructPath: string;
  /** The prop refused, e.g. `driverName` or `resources.limits['cpu']`. */
  public readonly prop: string;
  /** The value refused, as given. */
  public readonly value: any;
  /** The rule the value breaks, e.g. `must be a DNS subdomain (RFC 1123)`. */
  public readonly rule: string;

  /**
   * @param subject what the input was given to: `DraDriver 'gpu' (chart/gpu)`, `ClusterScale`
   * @param constructPath the construct's path, or `''`
   * @param prop the prop refused
   * @param value the value refused (undefined for a prop left out: the message then shows none)
   * @param rule the rule it breaks
   */
  public constructor(subject: string, constructPath: string, prop: string, value: any, rule: string) {
    super(`${subject}: ${prop}${value === undefined ? '' : ` ${formatValue(value)}`} ${rule}`);
    this.name = 'DraValidationError';
    Object.defineProperty(this, VALIDATION_ERROR, { value: true });
    this.constructPath = constructPath;
    this.prop = prop;
    this.value = value;
    this.rule = rule;
  }
}
