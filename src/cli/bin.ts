#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports -- what loads, and when, is the point of this file */
// The package's bin. Node 22.8+ keeps the compiled code of what it loads next in its compile
// cache (NODE_COMPILE_CACHE, else the OS temporary folder), so a later check skips compiling the
// CLI (15-20 ms of a 60-80 ms check of a small file on Node 24 here); Node 20 has no such cache.
(require('module') as { enableCompileCache?: () => unknown }).enableCompileCache?.();
// The CLI bundled into one file by scripts/bundle-cli.sh (the compile task).
require('./cdk8s-dra.js');
