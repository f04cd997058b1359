/** How bad breaking a good practice is. */
export enum FindingSeverity {
  /** The installation is unsafe or will misbehave: the CLI exits 1, in-app synthesis fails. */
  ERROR = 'error',
  /** A practice of the page is not followed: reported; in-app synthesis fails until it is fixed or suppressed. */
  WARNING = 'warning',
}
