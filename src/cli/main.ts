#!/usr/bin/env node
import { runCliAsync } from './run-cli';

void runCliAsync(process.argv.slice(2), {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
}).then(code => {
  process.exitCode = code;
});
