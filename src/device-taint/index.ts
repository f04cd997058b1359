export * from './device-taint-effect';
export * from './device-taint-props';
export * from './dra-device-taint';
