export * from './common';
export * from './driver';
export * from './device-taint';
export * from './rbac';
export * from './control-plane';
export * from './monitoring';
export * from './good-practices';
export * from './cluster';
// The Kubernetes types the library builds its objects from (the newest schema, src/imports/k8s.ts),
// for props and patches in the same types: `import { k8s } from 'cdk8s-dra'`.
export * as k8s from './imports/k8s';
