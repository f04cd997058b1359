export * from './driver';
export * from './labels';
