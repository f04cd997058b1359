/**
 * Packages loaded on first use. Loading the yaml package and @bufbuild/cel (about 300 files)
 * costs a command-line run more than reading a typical manifest does, and many runs need
 * neither: the block-YAML scanner reads most files, and CEL runs only on admission policies.
 */
/* eslint-disable @typescript-eslint/no-require-imports */

let yaml: typeof import('yaml') | undefined;
let cel: typeof import('@bufbuild/cel') | undefined;
let celExt: typeof import('@bufbuild/cel/ext') | undefined;

export function yamlPackage(): typeof import('yaml') {
  return yaml ??= require('yaml');
}

export function celPackage(): typeof import('@bufbuild/cel') {
  return cel ??= require('@bufbuild/cel');
}

export function celExtensions(): typeof import('@bufbuild/cel/ext') {
  return celExt ??= require('@bufbuild/cel/ext');
}
