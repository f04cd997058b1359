export * from './dra-monitoring';
export * from './rule-group';
export * from './thresholds';
