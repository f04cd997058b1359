export * from './dra-cluster';
