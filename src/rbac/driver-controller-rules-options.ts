/** Options of `driverControllerRules` and `DraRbacRules.driverController`. */
export interface DriverControllerRulesOptions {
  /**
   * Whether the controller publishes ResourceSlices without a node. Adds `resourceslices`
   * list, watch, create, update and delete (the driver's ResourceSlice guard keeps it off
   * node-local slices).
   * @default false
   */
  readonly publishesResourceSlices?: boolean;
  /**
   * Whether the controller writes device status into its driver's claims, on any node
   * (`status.devices`). Adds `resourceclaims/status` update and patch and, for Kubernetes
   * 1.36+ (`DRAResourceClaimGranularStatusAuthorization`), the `arbitrary-node:update/patch`
   * verbs on `resourceclaims/driver` limited to this driver's name: the controller may write
   * its own driver's entries in claims allocated on any node, never another driver's.
   * @default false
   */
  readonly writesDeviceStatus?: boolean;
}
