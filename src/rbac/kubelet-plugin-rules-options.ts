/** Options of `kubeletPluginRules` and `DraPersonaRules.kubeletPlugin`. */
export interface KubeletPluginRulesOptions {
  /**
   * Whether the driver writes device status into the claims it prepared
   * (`status.devices`: health, network data, as dranet and the example driver's
   * `GPU_DEVICE_STATUS` mode do). Adds `resourceclaims/status` update and patch and, for
   * Kubernetes 1.36+ (`DRAResourceClaimGranularStatusAuthorization`), the
   * `associated-node:update/patch` verbs on `resourceclaims/driver` limited to this
   * driver's name. Before 1.36 the status grant lets the plugin of any node rewrite the
   * status of any claim in the cluster: grant it only to drivers that need it.
   * @default false
   */
  readonly writesDeviceStatus?: boolean;
}
