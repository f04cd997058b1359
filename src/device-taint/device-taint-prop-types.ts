import { DeviceTaintEffect } from './device-taint-effect';
import { optional, ownEnum, required, string, struct, StructType } from '../common/prop-types';

/** The JavaScript types of `DraDeviceTaintProps` (src/common/prop-types.ts), checked before every other rule. */
export const DRA_DEVICE_TAINT_PROPS: StructType = struct('DraDeviceTaintProps', () => ({
  kubernetesVersion: required(string),
  driver: required(string),
  pool: optional(string),
  device: optional(string),
  effect: required(ownEnum('DeviceTaintEffect', DeviceTaintEffect)),
  key: optional(string),
  reason: optional(string),
  name: optional(string),
}));
