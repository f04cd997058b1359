#!/usr/bin/env bash
# The package as users get it, on each supported Node (default: those package.json's engines name; or the majors given):
#   1. the README's install-from-build steps: the tarball `npm pack` built (once, on the Node on
#      the PATH) installed into an empty folder with its peers, TypeScript ~6.0 and ts-node, and
#      examples/quickstart/main.ts run there with ts-node: its YAML must equal examples/quickstart/dist;
#      `cdk8s-dra check` then reads that output;
#   2. in this checkout: every example synthesized and a quick jest subset.
# Node binaries come from the npm registry's per-platform packages (scripts/node-bin.sh),
# installed once into $CDK8S_DRA_CACHE (default ~/.cache/cdk8s-dra), outside the repository.
# Needs `npm ci` done (the tarball bundles from node_modules/). Prints one timing line per step
# and closes with the Node versions that passed (not in the "N passed, N failed" form, which
# CI keeps for the test count).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
MAJORS=("$@")
# Default: every major package.json's engines.node names.
[ "${#MAJORS[@]}" -gt 0 ] || read -ra MAJORS <<< "$(bash scripts/node-bin.sh --supported)"
# Tests that synthesize and check every example, write node files, and check the library's constructs.
QUICK_TESTS=(test/examples.test.ts test/control-plane/tuned-control-plane.test.ts test/good-practices/library-constructs.test.ts)

LOG="$(mktemp)"
seconds() { date +%s.%N; }
# Runs a command quietly; on failure prints what it said.
quiet() { "$@" >"$LOG" 2>&1 || { cat "$LOG" >&2; return 1; }; }
elapsed() { awk -v a="$1" -v b="$(seconds)" 'BEGIN { printf "%.1f", b - a }'; }

start=$(seconds)
rm -f cdk8s-dra-*.tgz
quiet npm pack
TARBALL="$(ls "$REPO"/cdk8s-dra-*.tgz)"
echo "tarball: $(basename "$TARBALL"), $(stat -c %s "$TARBALL") bytes, built with Node $(node --version) in $(elapsed "$start") s"

passed=()
failed=()
for major in "${MAJORS[@]}"; do
  bin="$(bash scripts/node-bin.sh "$major")"
  # set -e holds inside the subshell only when its status is not tested, hence set +e around it.
  set +e
  (
    set -euo pipefail
    export PATH="$bin:$PATH"
    version="$(node --version)"
    [ "${version#v"$major".}" != "$version" ] || { echo "Node $major: got $version" >&2; exit 1; }

    app="$(mktemp -d)"
    trap 'rm -rf "$app"' EXIT
    cd "$app"
    t=$(seconds)
    quiet npm init -y
    quiet npm install --no-audit --no-fund "$TARBALL" 'cdk8s@^2.70' 'cdk8s-plus-28@^2.5.6' 'constructs@^10.4'
    quiet npm install --no-audit --no-fund -D 'typescript@~6.0' 'ts-node@^10.9' '@types/node'
    install_s=$(elapsed "$t")
    # The README's tsconfig.json: TypeScript 6 emits ES modules by default, which ts-node cannot run.
    echo '{ "compilerOptions": { "module": "commonjs", "target": "es2022", "strict": true, "types": ["node"] } }' > tsconfig.json
    cp "$REPO/examples/quickstart/main.ts" .
    t=$(seconds)
    quiet npx ts-node main.ts
    synth_s=$(elapsed "$t")
    diff -r dist "$REPO/examples/quickstart/dist"
    # The bin turns on Node's compile cache where Node has one (22.8+), in the temporary folder:
    # run as the shell runs it (not through npx), a check fills it.
    mkdir "$app/tmp"
    TMPDIR="$app/tmp" quiet ./node_modules/.bin/cdk8s-dra check dist
    cached="$( (find "$app/tmp/node-compile-cache" -type f 2>/dev/null || true) | wc -l)"
    if [ "$major" -ge 22 ] && [ "$cached" -eq 0 ]; then
      echo "Node $version: the bin left Node's compile cache empty" >&2
      exit 1
    fi
    echo "Node $version: install from the tarball ${install_s} s, quickstart synth with ts-node ${synth_s} s, output identical to examples/quickstart/dist; Node's compile cache after a check: ${cached} file(s)"

    cd "$REPO"
    t=$(seconds)
    quiet npm run synth:examples
    git diff --exit-code --stat -- examples
    [ -z "$(git status --porcelain -- examples)" ] || { git status --short -- examples; exit 1; }
    examples_s=$(elapsed "$t")
    t=$(seconds)
    # Paths first: --reporters takes every argument after it.
    quiet npx jest "${QUICK_TESTS[@]}" --ci --maxWorkers=2 --coverage=false --silent --reporters=default
    grep -E '^Tests:' "$LOG"
    echo "Node $version: examples synthesized as committed in ${examples_s} s, quick tests in $(elapsed "$t") s"
  )
  status=$?
  set -e
  if [ "$status" -eq 0 ]; then
    passed+=("$major")
  else
    echo "Node $major: FAILED" >&2
    failed+=("$major")
  fi
done
rm -f "$TARBALL" "$LOG"
echo "Node versions OK: ${passed[*]:-none}${failed:+; FAILED: ${failed[*]}}"
[ "${#failed[@]}" -eq 0 ]
