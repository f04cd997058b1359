/**
 * Lets the examples import `cdk8s-dra` exactly as a user's app does, resolved to this
 * checkout's src/ instead of an installed package. Required before an example loads.
 */
import * as path from 'path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Module = require('module');

const SRC = path.resolve(__dirname, '..', 'src', 'index.ts');
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveLocalPackage(request: string, ...rest: unknown[]) {
  return originalResolve.call(this, request === 'cdk8s-dra' ? SRC : request, ...rest);
};
