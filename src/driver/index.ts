export * from './dra-driver';
export * from './upgrade';
export * from './device-class';
export * from './resource-slice-guard';
export * from './drain-check';
