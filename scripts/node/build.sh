#!/usr/bin/env bash
# Builds the test node's binaries into a cache directory outside the repo keyed by the Go modules
# they come from, and prints that directory on stdout; returns at once when they are there:
#   containerd, containerd-shim-runc-v2, ctr   tools/containerd (containerd 2.2, CDI on by default)
#   dra-example-kubeletplugin                  tools/dra-example-driver (its newest release)
#   pause, workload                            tools/node-programs (ours: the sandbox and the test workload)
#   dranet                                     tools/dranet (DRANET's kubelet plugin, github.com/google/dranet):
#                                              its own cache directory, linked in, so neither rebuilds the other
# The kubelet comes from tools/k8s/<version> with the control plane (npm run cluster:build), and
# runc and the CNI plugins from Debian (runc, containernetworking-plugins): installed here when
# missing and apt-get is at hand.
#
#   scripts/node/build.sh            build what is missing
#   scripts/node/build.sh --where    print the directory if everything is there, else exit 3
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
where=false
if [ "${1:-}" = --where ]; then where=true; fi

key="$(cd "$root/tools" && cat containerd/go.mod containerd/go.sum dra-example-driver/go.mod dra-example-driver/go.sum \
  node-programs/go.mod node-programs/*/main.go | sha256sum | cut -c1-16)"
cache="${CDK8S_DRA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-dra}"
out="$cache/node-$key"
dranet_key="$(cd "$root/tools" && cat dranet/go.mod dranet/go.sum | sha256sum | cut -c1-16)"
dranet_out="$cache/dranet-$dranet_key"

binaries=(containerd containerd-shim-runc-v2 ctr dra-example-kubeletplugin pause workload)
missing=()
for b in "${binaries[@]}"; do [ -x "$out/$b" ] || missing+=("$b"); done
dranet_missing=false
[ -x "$dranet_out/dranet" ] || dranet_missing=true
dranet_linked=false
[ "$(readlink "$out/dranet" 2>/dev/null)" = "$dranet_out/dranet" ] && dranet_linked=true
debian=()
command -v runc >/dev/null 2>&1 || debian+=(runc)
[ -x /usr/lib/cni/bridge ] || debian+=(containernetworking-plugins)
command -v iptables >/dev/null 2>&1 || debian+=(iptables)

if $where; then
  if $dranet_missing || ! $dranet_linked; then missing+=(dranet); fi
  if [ "${#missing[@]}" -gt 0 ] || [ "${#debian[@]}" -gt 0 ]; then
    echo "node/build.sh: ${missing[*]} ${debian[*]} not there yet: run npm run node:build (about 6 minutes on 2 idle cores, once, plus the module download)" >&2
    exit 3
  fi
  echo "$out"
  exit 0
fi

if [ "${#debian[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null || { echo "node/build.sh: install ${debian[*]} (Debian packages)" >&2; exit 1; }
  echo "node/build.sh: installing ${debian[*]} from Debian" >&2
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${debian[@]}" >&2
fi
if [ "${#missing[@]}" -eq 0 ] && ! $dranet_missing; then
  $dranet_linked || ln -sfn "$dranet_out/dranet" "$out/dranet"
  echo "$out"
  exit 0
fi

command -v go >/dev/null || { echo "node/build.sh: Go is needed to build the node's binaries" >&2; exit 1; }
mkdir -p "$out"
tmp="$(mktemp -d "$cache/.node-build-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod

# The version a module requires, from its go.mod, for the binaries' version strings.
required() { sed -n "s#^\t$2 \(v[^ ]*\).*#\1#p" "$root/tools/$1/go.mod" | head -n 1; }

if $dranet_missing; then
  echo "node/build.sh: building dranet into $dranet_out" >&2
  mkdir -p "$dranet_out"
  cd "$root/tools/dranet"
  # As upstream's Dockerfile: no cgo.
  go build -trimpath -ldflags "-s -w -buildid=" -o "$tmp/" github.com/google/dranet/cmd/dranet
  mv "$tmp/dranet" "$dranet_out/dranet"
  printf 'dranet %s\n' "$(required dranet github.com/google/dranet)" > "$dranet_out/versions"
fi
ln -sfn "$dranet_out/dranet" "$out/dranet"
if [ "${#missing[@]}" -eq 0 ]; then echo "$out"; exit 0; fi

echo "node/build.sh: building ${missing[*]} into $out" >&2

cd "$root/tools/containerd"
containerd_version="$(required containerd github.com/containerd/containerd/v2)"
# Upstream's Makefile: no cgo-only snapshotters, no CLI docs; the shim is built without gRPC.
ldflags="-s -w -buildid= -X github.com/containerd/containerd/v2/version.Version=$containerd_version"
go build -trimpath -tags "urfave_cli_no_docs no_btrfs no_devmapper no_zfs" -ldflags "$ldflags" -o "$tmp/" \
  github.com/containerd/containerd/v2/cmd/containerd github.com/containerd/containerd/v2/cmd/ctr
go build -trimpath -tags "urfave_cli_no_docs no_btrfs no_devmapper no_zfs no_grpc" -ldflags "$ldflags" -o "$tmp/" \
  github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2

cd "$root/tools/dra-example-driver"
driver_version="$(required dra-example-driver sigs.k8s.io/dra-example-driver)"
go build -trimpath -ldflags "-s -w -buildid=" -o "$tmp/" \
  sigs.k8s.io/dra-example-driver/cmd/dra-example-kubeletplugin

cd "$root/tools/node-programs"
# No VCS stamp: these programs sit in our repository, and each commit would change their bytes.
go build -trimpath -buildvcs=false -ldflags "-s -w -buildid=" -o "$tmp/" ./pause ./workload

for b in "${binaries[@]}"; do mv "$tmp/$b" "$out/$b"; done
printf 'containerd %s\ndra-example-driver %s\n' "$containerd_version" "$driver_version" > "$out/versions"
echo "$out"
