export * from './dra-monitoring';
export * from './rule-format';
export * from './rule-group';
export * from './thresholds';
