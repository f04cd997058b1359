/** What a device taint does to the claims and pods that do not tolerate it. */
export enum DeviceTaintEffect {
  /**
   * The scheduler allocates the device to no new claim; claims allocated already, and the
   * pods using them, stay.
   */
  NO_SCHEDULE = 'NoSchedule',
  /**
   * `NoSchedule`, and the device-taint eviction controller of kube-controller-manager
   * deletes the pods using the device and releases their claims.
   */
  NO_EXECUTE = 'NoExecute',
}
