export * from './sizing';
export * from './target';
export * from './tuned-control-plane';
