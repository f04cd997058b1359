export * from './driver';
export * from './validation-error';
