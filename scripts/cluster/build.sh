#!/usr/bin/env bash
# Builds one Kubernetes version's test binaries (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kubeadm; more when named, as the kubelet and kubectl for the node tests) from tools/k8s/<version>/go.mod with upstream's build settings, into
# a cache directory outside the repo keyed by that go.mod and go.sum. Prints that directory on stdout;
# returns at once when the binaries are already there.
#
#   scripts/cluster/build.sh --version 1.37            control-plane binaries of tools/k8s/v1.37
#   scripts/cluster/build.sh --version 1.37 kubelet kubectl    the node tests' binaries as well
#   scripts/cluster/build.sh --version 1.37 --where    print the directory if the binaries are there, else exit 3
# Every version at once: npm run cluster:build (scripts/cluster/build-all.ts).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
where=false
minor=""
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --where) where=true ;;
    --version) minor="${2:?--version takes a version such as 1.37 or 1.38-beta}"; shift ;;
    *) extra+=("$1") ;;
  esac
  shift
done
[ -n "$minor" ] || { echo "build.sh: --version is required (one of: $(cd "$root/tools/k8s" && ls -d v1.* | sed 's/^v//' | tr '\n' ' '))" >&2; exit 1; }
module="$root/tools/k8s/v${minor#v}"
[ -f "$module/go.mod" ] || { echo "build.sh: no Kubernetes $minor module at $module (scripts/cluster/new-version.sh writes one)" >&2; exit 1; }

version="$(sed -n 's/^\(require \|\t\)k8s.io\/kubernetes \(v1\.[0-9a-z.-]*\).*$/\2/p' "$module/go.mod" | head -n 1)"
[ -n "$version" ] || { echo "build.sh: no k8s.io/kubernetes version in $module/go.mod" >&2; exit 1; }
key="$(cat "$module/go.mod" "$module/go.sum" | sha256sum | cut -c1-16)"
cache="${CDK8S_DRA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-dra}"
out="$cache/k8s-$version-$key"

binaries=(etcd kube-apiserver kube-controller-manager kube-scheduler kubeadm "${extra[@]}")
# Prints the directory and exits when every binary asked for is there; else leaves the rest in $missing.
done_or_missing() {
  missing=()
  for b in "${binaries[@]}"; do [ -x "$out/$b" ] || missing+=("$b"); done
  if [ "${#missing[@]}" -eq 0 ]; then echo "$out"; exit 0; fi
}
done_or_missing
if $where; then
  echo "build.sh: ${missing[*]} $version not built yet: run npm run cluster:build -- --version ${minor#v} (about 6 minutes on 2 idle cores, once, plus the module download)" >&2
  exit 3
fi

command -v go >/dev/null || { echo "build.sh: Go is needed to build the Kubernetes binaries" >&2; exit 1; }
# One build of a version at a time: a second caller (the version matrix while the test set-up builds
# this version in the background) waits for the first, then finds what it built.
mkdir -p "$cache"
exec 9>"$cache/.build-$version-$key.lock"
if ! flock -n 9; then
  echo "build.sh: waiting for another build of $version to finish" >&2
  flock 9
fi
done_or_missing
echo "build.sh: building ${missing[*]} $version into $out (a cold build takes about 6 minutes on 2 idle cores, plus the module download)" >&2
mkdir -p "$out"
tmp="$(mktemp -d "$cache/.build-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

cd "$module"
# A release whose go directive is newer than the installed Go names the toolchain that builds it
# (the go command fetches it from the module proxy); every other build uses the installed one.
toolchain_file="$module/toolchain"
if [ -f "$toolchain_file" ]; then export GOTOOLCHAIN="$(cat "$toolchain_file")"; else export GOTOOLCHAIN=local; fi
export CGO_ENABLED=0 GOFLAGS=-mod=mod
minor="$(echo "$version" | cut -d. -f2)"
# The version ldflags of upstream's hack/lib/version.sh, so each binary reports $version
# (kubeadm compares it with the control-plane version it validates).
ldflags="-s -w -buildid="
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.gitCommit=unknown -X $pkg.buildDate=1970-01-01T00:00:00Z"
done

k8s_pkgs=()
for b in "${missing[@]}"; do
  [ "$b" = etcd ] || k8s_pkgs+=("k8s.io/kubernetes/cmd/$b")
done
go mod download
if [ "${#k8s_pkgs[@]}" -gt 0 ]; then
  # Upstream's tags for its static server binaries (hack/lib/golang.sh; grpcnotrace since 1.34).
  go build -trimpath -tags=selinux,notest,grpcnotrace -ldflags="$ldflags" -o "$tmp/" "${k8s_pkgs[@]}"
fi
if [[ " ${missing[*]} " == *" etcd "* ]]; then
  # The module root is etcd's main package; -o names it (it would be "v3" otherwise).
  go build -trimpath -ldflags="-s -w -buildid=" -o "$tmp/etcd" go.etcd.io/etcd/server/v3
fi
for b in "${missing[@]}"; do mv "$tmp/$b" "$out/$b"; done
echo "$out"
