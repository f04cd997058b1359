#!/usr/bin/env bash
# Installs the Kubernetes manifest linters admins run, outside the repo, and prints the
# directory of their binaries (put it on PATH): kube-score built from tools/linters/go.mod
# (a cache directory keyed by go.mod and go.sum), Checkov from PyPI into a virtualenv keyed
# by its pinned version. Returns at once when both are already there.
#
#   scripts/linters/install.sh           install what is missing
#   scripts/linters/install.sh --check   print the directory if both are installed; exit 3 otherwise
#
# Polaris (github.com/fairwindsops/polaris) and kube-linter (golang.stackrox.io/kube-linter)
# are not served by the Go module proxy, so they are not built here.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
module="$root/tools/linters"
cache="${CDK8S_DRA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-dra}"
checkov_version="$(cat "$module/checkov.version")"

key="$(cat "$module/go.mod" "$module/go.sum" | sha256sum | cut -c1-16)"
out="$cache/linters-$key"
venv="$cache/checkov-$checkov_version"

if [ "${1:-}" = "--check" ]; then
  if [ -x "$out/kube-score" ] && [ -f "$venv/.installed" ] && [ -x "$out/checkov" ]; then echo "$out"; exit 0; fi
  exit 3
fi

mkdir -p "$out"
if [ ! -x "$out/kube-score" ]; then
  command -v go >/dev/null || { echo "install.sh: Go is needed to build kube-score" >&2; exit 1; }
  echo "install.sh: building kube-score into $out" >&2
  (cd "$module" && GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod \
    go build -trimpath -ldflags="-s -w -buildid=" -o "$out/kube-score" github.com/zegl/kube-score/cmd/kube-score)
fi

# A virtualenv records its own path, so it is built in place; the stamp marks a finished install.
if [ ! -f "$venv/.installed" ]; then
  command -v python3 >/dev/null || { echo "install.sh: Python 3 is needed to install Checkov" >&2; exit 1; }
  echo "install.sh: installing checkov $checkov_version into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "checkov==$checkov_version"
  touch "$venv/.installed"
fi
ln -sf "$venv/bin/checkov" "$out/checkov"
echo "$out"
