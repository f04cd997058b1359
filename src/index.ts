export * from './common';
export * as k8s from './imports/k8s';
export * as monitoring from './imports/monitoring.coreos.com';
