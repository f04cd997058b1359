#!/usr/bin/env bash
# Writes tools/k8s/v<minor>/go.mod and go.sum for one Kubernetes release from its own go.mod:
# the same go and godebug directives, and each staging module pinned to the release's v0 tag.
# Adding a Kubernetes version to the test matrix starts here (CONTRIBUTING.md).
#
#   scripts/cluster/new-version.sh v1.37.2
#   GOTOOLCHAIN=go1.27.3 scripts/cluster/new-version.sh v1.38.0-beta.0 --control-plane-only
# --control-plane-only leaves the kubelet out, for a version the node tests do not run on (1.38.0-beta.0's
# kubelet imports sigs.k8s.io/iptables-wrappers v1.0.0, which the module proxy does not serve).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
release="${1:?usage: new-version.sh v1.<minor>.<patch>[-pre] [--control-plane-only]}"
commands=(kube-apiserver kube-controller-manager kube-scheduler kubeadm kubectl kubelet)
[ "${2:-}" != --control-plane-only ] || commands=(kube-apiserver kube-controller-manager kube-scheduler kubeadm kubectl)
[[ "$release" =~ ^v1\.([0-9]+)\.[0-9]+(-[a-z]+\.[0-9]+)?$ ]] || { echo "new-version.sh: $release is not a Kubernetes release tag" >&2; exit 1; }
minor="${BASH_REMATCH[1]}"
pre="${BASH_REMATCH[2]}"
dir="$root/tools/k8s/v1.$minor${pre:+-${pre#-}}"
dir="${dir%.[0-9]}"   # v1.38-beta, not v1.38-beta.0
staging_version="v0.${release#v1.}"

mkdir -p "$dir"
upstream="$(mktemp)"
trap 'rm -f "$upstream"' EXIT
# The release's go.mod, as the module proxy serves it.
(cd "$dir" && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$release") \
  | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p' | xargs cat > "$upstream"
go_line="$(grep -m1 '^go ' "$upstream")"
godebug_line="$(grep -m1 '^godebug ' "$upstream" || true)"
mapfile -t staging < <(sed -n 's#^\t\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\1#p' "$upstream" | sort -u)

{
  echo "// Kubernetes $release test binaries for cdk8s-dra's cluster and node tests. Written by"
  echo "// scripts/cluster/new-version.sh, built by scripts/cluster/build.sh; nothing here is imported by the library."
  echo "module cdk8s-dra.invalid/tools/k8s/$(basename "$dir")"
  echo
  echo "// The go directive and godebug match k8s.io/kubernetes $release itself: a dependency's godebug"
  echo "// does not reach the main module, and a newer go line would switch GODEBUG defaults."
  echo "$go_line"
  [ -z "$godebug_line" ] || { echo; echo "$godebug_line"; }
  echo
  echo "tool ("
  echo "	go.etcd.io/etcd/server/v3"
  for cmd in "${commands[@]}"; do
    echo "	k8s.io/kubernetes/cmd/$cmd"
  done
  echo ")"
  echo
  echo "require k8s.io/kubernetes $release"
  echo
  echo "// k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with local paths,"
  echo "// which only works inside its own repository: pin each to the release that matches $release."
  echo "replace ("
  for m in "${staging[@]}"; do echo "	$m => $m $staging_version"; done
  echo ")"
} > "$dir/go.mod"
rm -f "$dir/go.sum"
# The etcd server and the rest of the graph at the versions the release itself requires.
etcd="$(sed -n 's#^\tgo.etcd.io/etcd/server/v3 \(v[^ ]*\).*#\1#p' "$upstream" | head -n 1)"
(cd "$dir" && GOFLAGS=-mod=mod go get "go.etcd.io/etcd/server/v3@$etcd" && GOFLAGS=-mod=mod go mod tidy)
# A release whose go directive is newer than the installed Go builds with the toolchain it names.
if [ "${GOTOOLCHAIN:-local}" != local ] && [ "${GOTOOLCHAIN:-}" != auto ]; then echo "$GOTOOLCHAIN" > "$dir/toolchain"; else rm -f "$dir/toolchain"; fi
echo "$dir"
