import { DraValidationError } from '../../src';

/** The DraValidationError `build` throws; fails the test when it throws none, or anything else. */
export function refusal(build: () => unknown): DraValidationError {
  try {
    build();
  } catch (e) {
    if (e instanceof DraValidationError) return e;
    throw new Error(`expected a DraValidationError, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
  }
  throw new Error('expected a DraValidationError, nothing was thrown');
}
