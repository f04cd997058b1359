/**
 * Device selectors that parse as CEL but do not compile in the API server's device environment,
 * with the rule the library states for each. The unit tests see the library refuse them; the
 * cluster tests see the real API server refuse the same expressions.
 */
export const ILL_TYPED_SELECTORS: ReadonlyArray<[expression: string, rule: string]> = [
  ['device.driver == 1', "applies '==' to (string, int), for which CEL has no overload"],
  ['1 + 1', 'evaluates to int, but a device selector must evaluate to bool'],
  ['device.capacity["gpu.example.com"].memory == "40Gi"', "applies '==' to (kubernetes.Quantity, string), for which CEL has no overload"],
  ['device.capacity["gpu.example.com"].memory.isGreaterThan("40Gi")', 'applies isGreaterThan() to (kubernetes.Quantity, string), for which CEL has no overload'],
  ['device.driver', 'evaluates to string, but a device selector must evaluate to bool'],
  ['device.driver.size', "selects field 'size' of a string, which has no fields"],
  ['!device.driver', "uses '!' on a string; it needs a bool"],
];

/**
 * Selectors that compile only from a Kubernetes version on: refused by the library (with this
 * rule) and by the API server before it, accepted and compiled by both at and after it.
 */
export const VERSIONED_SELECTORS: ReadonlyArray<{ expression: string; since: string; ruleBefore: string }> = [
  {
    expression: 'device.allowMultipleAllocations',
    since: '1.36',
    ruleBefore: "selects device.allowMultipleAllocations, which the API server's CEL environment does not have before 1.36",
  },
  {
    expression: '!device.allowMultipleAllocations && device.driver == "gpu.example.com"',
    since: '1.36',
    ruleBefore: "selects device.allowMultipleAllocations, which the API server's CEL environment does not have before 1.36",
  },
];

/** Well-typed selectors, each accepted by the library and compiled by the real API server. */
export const WELL_TYPED_SELECTORS: readonly string[] = [
  'device.attributes["gpu.example.com"].model == "A100"',
  'device.capacity["gpu.example.com"].memory.compareTo(quantity("40Gi")) >= 0',
  'device.attributes["gpu.example.com"].count > 2 && device.attributes["gpu.example.com"].count < 8.5',
  'cel.bind(dra, device.attributes["dra.example.com"], dra.oneBool && dra.anotherBool)',
  'device.attributes["gpu.example.com"].exists(k, k.startsWith("a"))',
  'has(device.attributes["gpu.example.com"].model) ? device.attributes["gpu.example.com"].model.matches("^A") : false',
  'device.attributes["gpu.example.com"].?model.orValue("") == "A100"',
  '"gpu.example.com" in device.attributes',
];
