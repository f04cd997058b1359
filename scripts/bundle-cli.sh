#!/usr/bin/env bash
# Bundles the compiled CLI (<lib>/cli/main.js and the library files it imports) into one file,
# <lib>/cli/cdk8s-dra.js, which the package's bin (<lib>/cli/bin.js, src/cli/bin.ts) loads after
# turning on Node's compile cache: Node resolves, reads and compiles one file instead of one per
# module at every start (test/cli/bin-bundle.test.ts). Packages stay external: they
# are the installed package's dependencies (yaml and @bufbuild/cel load on first use only).
# Usage: scripts/bundle-cli.sh <lib dir>   (the compile task: lib; npm run bench: its scratch copy)
set -euo pipefail
lib="${1:?usage: bundle-cli.sh <lib dir>}"
here="$(cd "$(dirname "$0")/.." && pwd)"
"$here/node_modules/.bin/esbuild" "$lib/cli/main.js" --bundle --platform=node --target=node20 --format=cjs \
  --packages=external --log-level=warning --outfile="$lib/cli/cdk8s-dra.js"
# The bin is executed directly, not only by npm's shims (the wheel's console script, through the jsii runtime).
chmod +x "$lib/cli/bin.js"
