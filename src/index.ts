export * from './common';
export * from './driver';
export * from './rbac';
export * from './control-plane';
export * from './monitoring';
export * from './good-practices';
export * from './cluster';
