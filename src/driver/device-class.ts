/** Driver-specific parameters handed to the driver for every device of a class. */
export interface DeviceClassOpaqueConfig {
  /**
   * The driver that receives the parameters (a DNS subdomain of at most 63 characters).
   * @default - the DraDriver's own driverName
   */
  readonly driver?: string;
  /**
   * The parameters: a JSON object (the API server refuses strings, numbers and arrays),
   * usually with its own `apiVersion` and `kind`. At most 10 KiB once serialized.
   */
  readonly parameters: any;
}

/** A DeviceClass (`resource.k8s.io/v1`) that a DraDriver publishes. */
export interface DraDeviceClassOptions {
  /** The DeviceClass name (cluster-scoped, a DNS subdomain). Claims refer to it. */
  readonly name: string;
  /**
   * CEL expressions that every device of the class must satisfy, e.g.
   * `device.attributes["gpu.example.com"].type == "gpu"`. Each is parsed at synth time
   * and may be at most 10 KiB.
   * @default - only `device.driver == "<driverName>"`
   */
  readonly selectors?: string[];
  /**
   * Whether to prepend `device.driver == "<driverName>"` to the selectors, so that the
   * class never matches another driver's devices.
   * @default true
   */
  readonly selectOwnDriver?: boolean;
  /**
   * Opaque driver configuration applied to every device claimed through the class.
   * @default - none
   */
  readonly config?: DeviceClassOpaqueConfig[];
  /**
   * Lets pods request the class's devices as an extended resource (`resources.limits`),
   * e.g. `example.com/gpu`. 1.34 and 1.35 API servers drop it unless the feature gate
   * `DRAExtendedResource` is on (on by default from 1.36), so DraDriver refuses it unless
   * its `kubernetesVersion` is 1.36 or later or `extendedResourceGateEnabled` is set.
   * @default - none
   */
  readonly extendedResourceName?: string;
}
