export * from './dra-rbac';
export * from './persona-rules';
export * from './kubelet-plugin-rules-options';
export * from './driver-controller-rules-options';
