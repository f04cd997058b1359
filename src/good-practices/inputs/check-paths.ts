import { readManifests } from './manifest-reader';
import { invalidInput } from '../../common/errors';
import { GoodPracticesOptions } from '../engine/check-options';
import { optionProblem, runChecks } from '../engine/checker';
import { GoodPracticesReport } from '../engine/finding';

/**
 * `DraGoodPractices.checkPaths`, apart from the construct: the `cdk8s-dra check` CLI calls it
 * without loading cdk8s, which it does not need, so that it starts as fast as other linters.
 */
export function checkPaths(paths: string[], options?: GoodPracticesOptions): GoodPracticesReport {
  const opts = validOptions(options);
  const { objects, errors, skipped, empty } = readManifests(paths);
  const report = runChecks(objects, opts, undefined, errors);
  return { ...report, notes: [...skipped, ...report.notes], emptyInputs: empty };
}

/** The options, or a DraValidationError naming the first bad one. */
export function validOptions(options: GoodPracticesOptions | undefined): GoodPracticesOptions {
  const opts = options ?? {};
  const problem = optionProblem(opts);
  if (problem) {
    invalidInput('DraGoodPractices', problem.prop, problem.value, problem.rule);
  }
  return opts;
}
