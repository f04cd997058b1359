import { IConstruct } from 'constructs';
import { invalidProp } from '../common/errors';
import { isLabelKey, isLabelValue } from '../common/names';
import { isQuantity } from '../common/quantity';
import * as k8s from '../imports/k8s';

/**
 * Synth-time checks of the props DraDriver copies into its pod template and
 * ServiceMonitor, with the rules the 1.34 API server applies to them
 * (k8s.io/apimachinery validation and pkg/apis/core/validation), so a bad value stops
 * synthesis instead of the apply.
 */

const LABEL_KEY_RULE = 'must be a label key: an optional DNS-subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or "." that start and end with a letter or digit';
const LABEL_VALUE_RULE = 'must be a label value: empty, or at most 63 letters, digits, "-", "_" or "." that start and end with a letter or digit';

/** Label keys and values, as for nodeSelector and metadata.labels. */
export function checkLabels(scope: IConstruct, prop: string, labels: { [key: string]: string } | undefined): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (!isLabelKey(key)) {
      invalidProp(scope, `${prop} key`, key, LABEL_KEY_RULE);
    }
    if (!isLabelValue(value)) {
      invalidProp(scope, `${prop}['${key}']`, value, LABEL_VALUE_RULE);
    }
  }
}

/** Every entry of a command or args list is a string (an undefined entry would be written as null). */
export function checkStrings(scope: IConstruct, prop: string, values: string[] | undefined): void {
  (values ?? []).forEach((value, index) => {
    if (typeof value !== 'string') {
      invalidProp(scope, `${prop}[${index}]`, value, 'must be a string');
    }
  });
}

/**
 * Environment variable names: printable ASCII other than `=` since Kubernetes 1.34
 * (RelaxedEnvironmentVariableValidation, GA), none of the names DraDriver sets, and no
 * name twice: env is a list keyed by name, which server-side apply refuses to hold twice.
 */
export function checkEnv(scope: IConstruct, env: k8s.EnvVar[] | undefined, reserved: string[], prop = 'env'): void {
  const firstIndex = new Map<string, number>();
  (env ?? []).forEach((variable, index) => {
    const name = variable.name;
    if (typeof name !== 'string' || !/^[\x20-\x3c\x3e-\x7e]+$/.test(name)) {
      invalidProp(scope, `${prop}[${index}].name`, name, 'must be a non-empty environment variable name of printable ASCII characters other than "="');
    }
    if (reserved.includes(name)) {
      invalidProp(scope, `${prop}[${index}].name`, name, `is set by DraDriver itself (${reserved.join(', ')})`);
    }
    const earlier = firstIndex.get(name);
    if (earlier !== undefined) {
      invalidProp(scope, `${prop}[${index}].name`, name, `is already set by ${prop}[${earlier}]: environment variable names must be unique`);
    }
    firstIndex.set(name, index);
  });
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** Tolerations, as ValidateTolerations checks them (1.34: operators Equal and Exists only). */
export function checkTolerations(scope: IConstruct, tolerations: k8s.Toleration[] | undefined, prop = 'tolerations'): void {
  (tolerations ?? []).forEach((toleration, index) => {
    const at = `${prop}[${index}]`;
    const key = toleration.key ?? '';
    const operator = toleration.operator ?? '';
    const value = toleration.value ?? '';
    const effect = toleration.effect ?? '';
    if (key !== '' && !isLabelKey(key)) {
      invalidProp(scope, `${at}.key`, key, LABEL_KEY_RULE);
    }
    if (operator !== '' && operator !== 'Equal' && operator !== 'Exists') {
      invalidProp(scope, `${at}.operator`, operator, 'must be Equal or Exists (or unset, meaning Equal)');
    }
    if (key === '' && operator !== 'Exists') {
      invalidProp(scope, `${at}.operator`, toleration.operator ?? 'Equal', 'must be Exists when key is empty (which tolerates every taint)');
    }
    if (operator === 'Exists' && value !== '') {
      invalidProp(scope, `${at}.value`, value, 'must be empty when operator is Exists');
    }
    if (operator !== 'Exists' && !isLabelValue(value)) {
      invalidProp(scope, `${at}.value`, value, LABEL_VALUE_RULE);
    }
    if (effect !== '' && !TAINT_EFFECTS.includes(effect)) {
      invalidProp(scope, `${at}.effect`, effect, `must be ${TAINT_EFFECTS.join(', ')} or empty (every effect)`);
    }
    if (toleration.tolerationSeconds !== undefined && effect !== 'NoExecute') {
      invalidProp(scope, `${at}.tolerationSeconds`, toleration.tolerationSeconds, 'needs effect NoExecute: only NoExecute taints evict after a delay');
    }
  });
}

const STANDARD_RESOURCE = /^(cpu|memory|ephemeral-storage|hugepages-.+)$/;

/** Requests and limits: Kubernetes quantities, not negative (container resources may not be). */
export function checkResources(scope: IConstruct, resources: k8s.ResourceRequirements | undefined, prop = 'resources'): void {
  for (const [kind, quantities] of [['requests', resources?.requests], ['limits', resources?.limits]] as const) {
    for (const [resource, quantity] of Object.entries(quantities ?? {})) {
      if (!isLabelKey(resource) || (!resource.includes('/') && !STANDARD_RESOURCE.test(resource))) {
        invalidProp(scope, `${prop}.${kind} key`, resource,
          'must be cpu, memory, ephemeral-storage, hugepages-<size> or a domain-prefixed extended resource such as example.com/gpu');
      }
      const value: unknown = quantity?.value;
      const valid = typeof value === 'number'
        ? Number.isFinite(value) && value >= 0
        : typeof value === 'string' && isQuantity(value) && !isNegative(value);
      if (!valid) {
        invalidProp(scope, `${prop}.${kind}['${resource}']`, value,
          'must be a non-negative Kubernetes quantity such as 500m, 2, 1.5, 64Mi or 1e3 (suffixes Ki Mi Gi Ti Pi Ei, n u m k M G T P E)');
      }
    }
  }
}

/** A quantity with a minus sign and a non-zero digit before its suffix. */
function isNegative(quantity: string): boolean {
  return /^-[0.]*[1-9]/.test(quantity);
}
