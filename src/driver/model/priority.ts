import { IConstruct } from 'constructs';
import { invalidProp } from '../../common/errors';
import { isDnsSubdomain } from '../../common/names';

/** A PriorityClass name, refused unless it is a DNS subdomain. */
export function checkPriorityClass(scope: IConstruct, prop: string, priorityClassName: string): string {
  if (!isDnsSubdomain(priorityClassName)) {
    invalidProp(scope, prop, priorityClassName, 'must be a DNS subdomain (RFC 1123)');
  }
  return priorityClassName;
}
