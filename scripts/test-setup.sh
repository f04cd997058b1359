#!/usr/bin/env bash
# The first step of the README's test command (npm test): sets up, when missing, everything the
# suite needs, cached outside the clone (CDK8S_DRA_CACHE, else ~/.cache/cdk8s-dra), with a line of
# progress per step and its duration. It refuses, before any test runs, where it cannot work.
#   - promtool and Prometheus (alert rules, the real Prometheus the monitoring tests scrape), jq
#     (the drain check's shell rendering): Debian packages
#   - every Kubernetes test version's binaries, the kubelet where the node tests run (cluster:build):
#     the main run's version first, the others in the background while the main jest run goes on
#   - the test node's containerd, example driver and programs; runc and the CNI plugins (node:build)
#   - kube-score and Checkov for the linter tests (linters:install)
# A warm machine passes through every step in about a second.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

refuse() { echo "test setup: $*" >&2; exit 1; }
step() {
  local name="$1"; shift
  local start; start=$(date +%s)
  echo "test setup: $name ..." >&2
  "$@" >/dev/null
  echo "test setup: $name ready ($(( $(date +%s) - start )) s)" >&2
}

# The node tests run a kubelet and containerd, and the packages come from apt: both need root.
[ "$(id -u)" -eq 0 ] || refuse "the suite runs a real test node (kubelet, containerd) and installs Debian packages: run it as root"
command -v go >/dev/null 2>&1 || refuse "Go is needed to build the Kubernetes test binaries (go.dev/doc/install; Go 1.26 or newer)"

debian=()
command -v promtool >/dev/null 2>&1 || debian+=(prometheus)
command -v jq >/dev/null 2>&1 || debian+=(jq)
if [ "${#debian[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || refuse "install ${debian[*]} (Debian/Ubuntu packages of these names)"
  apt_install() {
    DEBIAN_FRONTEND=noninteractive apt-get update -qq \
      || refuse "apt-get update failed: the Debian package mirrors are not reachable"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${debian[@]}"
  }
  step "Debian packages ${debian[*]}" apt_install
fi

go_modules_reachable() {
  [ -n "$(go env GOMODCACHE)" ] && [ -d "$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes" ] && return 0
  GOFLAGS=-mod=mod timeout 60 go list -m -versions k8s.io/kubernetes >/dev/null 2>&1 \
    || refuse "the Go module proxy ($(go env GOPROXY)) is not reachable, and the Kubernetes modules are not in the module cache"
}
build_all() { npx --no-install ts-node --project scripts/tsconfig.json --transpile-only scripts/cluster/build-all.ts "$@"; }
all_built=true
build_all --check 2>/dev/null || { all_built=false; go_modules_reachable; }
step "Kubernetes test binaries of the main run (npm run cluster:build -- --main)" build_all --main
step "test node (npm run node:build)" bash scripts/node/build.sh
step "linters (npm run linters:install)" bash scripts/linters/install.sh
if ! $all_built; then
  # The other versions build while the main jest run goes on, which mostly waits on controllers;
  # the version matrix waits for each version's build (build.sh holds a lock per version). At the
  # lowest CPU priority: the real clusters' and the node's timings must not starve behind the compiler.
  cache="${CDK8S_DRA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-dra}"
  mkdir -p "$cache"
  nohup nice -n 19 bash -c "$(declare -f build_all); build_all" > "$cache/cluster-build.log" 2>&1 < /dev/null &
  echo "test setup: the other Kubernetes versions build in the background (log: $cache/cluster-build.log); the version matrix waits for each" >&2
fi
