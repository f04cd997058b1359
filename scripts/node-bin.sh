#!/usr/bin/env bash
# Prints the bin directory of a Node of the given major: the one on the PATH if it matches, else
# the npm registry's per-platform package (node-<platform>@<major>), installed once into
# $CDK8S_DRA_CACHE/node/<major> (default ~/.cache/cdk8s-dra), outside the repository.
# `--supported` prints the majors package.json's engines.node names (.projenrc.ts writes it).
# Used by scripts/ci-node-versions.sh and the check bench (scripts/bench-check.ts).
# Usage: scripts/node-bin.sh <major> | --supported
set -euo pipefail
major="${1:?usage: node-bin.sh <major> | --supported}"
if [ "$major" = --supported ]; then
  node -p "require('$(cd "$(dirname "$0")/.." && pwd)/package.json').engines.node.match(/\\d+(?=\\.0\\.0)/g).join(' ')"
  exit 0
fi
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
