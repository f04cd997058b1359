export * from './dra-rbac';
export * from './persona-rules';
