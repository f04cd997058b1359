#!/usr/bin/env bash
# Prints the bin directory of a Node of the given major: the one on the PATH if it matches, else
# the npm registry's per-platform package (node-<platform>@<major>), installed once into
# $CDK8S_DRA_CACHE/node/<major> (default ~/.cache/cdk8s-dra), outside the repository.
# Used by scripts/ci-node-versions.sh and the check bench (scripts/bench-check.ts).
# Usage: scripts/node-bin.sh <major>
set -euo pipefail
major="${1:?usage: node-bin.sh <major>}"
if [ "$(node -p 'process.versions.node.split(".")[0]')" = "$major" ]; then
  dirname "$(command -v node)"
  exit 0
fi
cache="${CDK8S_DRA_CACHE:-$HOME/.cache/cdk8s-dra}"
pkg="node-$(node -p 'process.platform + "-" + process.arch')"
dir="$cache/node/$major"
if [ ! -x "$dir/node_modules/$pkg/bin/node" ]; then
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$pkg@$major" >&2
fi
echo "$dir/node_modules/$pkg/bin"
