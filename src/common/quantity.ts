import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

/**
 * resource.Quantity: a signed decimal number, then a binary (Ki..Ei) or decimal (n, u,
 * m, k, M..E) suffix or an exponent (`e3`, `E-2`).
 */
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const SUFFIX_FACTORS: { [suffix: string]: number } = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** Whether `text` is a Kubernetes quantity (`500m`, `64Mi`, `1e3`). */
export function isQuantity(text: string): boolean {
  return typeof text === 'string' && QUANTITY.test(text);
}

/**
 * The amount a quantity stands for (`64Mi` is 67108864, `500m` is 0.5), to compare two of
 * them; undefined when it is not a quantity. Exact enough to order them: the API server
 * compares the same values.
 */
export function quantityAmount(quantity: string | number): number | undefined {
  if (typeof quantity === 'number') {
    return Number.isFinite(quantity) ? quantity : undefined;
  }
  const match = QUANTITY.exec(quantity);
  if (!match) {
    return undefined;
  }
  const [, number, suffix] = match;
  const factor = suffix === undefined ? 1 : SUFFIX_FACTORS[suffix] ?? 10 ** Number(suffix.slice(1));
  return Number(number) * factor;
}

/** A container's requests and limits, as cdk8s writes them (`k8s.Quantity` has a `value`). */
export interface QuantitiesByResource {
  readonly [resource: string]: { readonly value: string | number } | undefined;
}

/**
 * Refuses a limit below the request of the same resource: the API server refuses the pod
 * ("must be greater than or equal to <resource> request").
 */
export function checkLimitsNotBelowRequests(scope: IConstruct, prop: string,
  resources: { readonly requests?: QuantitiesByResource; readonly limits?: QuantitiesByResource } | undefined): void {
  for (const [resource, limit] of Object.entries(resources?.limits ?? {})) {
    const request = resources?.requests?.[resource];
    if (limit === undefined || request === undefined) {
      continue;
    }
    const limitAmount = quantityAmount(limit.value);
    const requestAmount = quantityAmount(request.value);
    if (limitAmount !== undefined && requestAmount !== undefined && limitAmount < requestAmount) {
      invalidProp(scope, `${prop}.limits['${resource}']`, limit.value,
        `must be at least ${prop}.requests['${resource}'] (${request.value}): the API server refuses a limit below its request`);
    }
  }
}
