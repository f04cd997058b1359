#!/usr/bin/env bash
# The Python bindings, proven by a Python app: jsii compiles, jsii-pacmak builds the wheel
# (dist/python/), a fresh venv in $CDK8S_DRA_CACHE (default ~/.cache/cdk8s-dra, outside the
# repository) installs it with its dependencies (cdk8s, cdk8s-plus-28, constructs, jsii from
# PyPI), and examples/python-quickstart/main.py must write exactly examples/quickstart/dist;
# the wheel's `cdk8s-dra` console script checks that output, and scripts/python/unknown_props.py
# checks what a Python user passing an unknown name gets.
# Needs `npm ci` done, Python 3.10+ with venv ($PYTHON, default python3.11 or else python3).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
CACHE="${CDK8S_DRA_CACHE:-$HOME/.cache/cdk8s-dra}"
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"

LOG="$(mktemp)"
seconds() { date +%s.%N; }
# Runs a command quietly; on failure prints what it said.
quiet() { "$@" >"$LOG" 2>&1 || { cat "$LOG" >&2; return 1; }; }
elapsed() { awk -v a="$1" -v b="$(seconds)" 'BEGIN { printf "%.1f", b - a }'; }

t=$(seconds)
quiet npx projen compile
quiet npx projen package:python
WHEEL="$(ls "$REPO"/dist/python/cdk8s_dra-*-py3-none-any.whl)"
echo "wheel: $(basename "$WHEEL"), $(stat -c %s "$WHEEL") bytes, compiled and built in $(elapsed "$t") s"

venv="$CACHE/python/venv"
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
t=$(seconds)
quiet "$PYTHON" -m venv "$venv"
quiet "$venv/bin/pip" install --disable-pip-version-check "$WHEEL"
echo "venv: $("$venv/bin/python" --version), installed the wheel and its dependencies in $(elapsed "$t") s:" \
  "$("$venv/bin/pip" list --disable-pip-version-check 2>/dev/null | awk '/^(cdk8s|cdk8s-dra|cdk8s-plus-28|constructs|jsii) /{printf "%s %s  ", $1, $2}')"

out="$(mktemp -d)"
trap 'rm -rf "$out" "$LOG"' EXIT
t=$(seconds)
(cd examples/python-quickstart && CDK8S_OUTDIR="$out" quiet "$venv/bin/python" main.py)
synth_s=$(elapsed "$t")
diff -r "$out" examples/quickstart/dist
echo "python-quickstart: synthesized in ${synth_s} s, byte-identical to examples/quickstart/dist ($(ls "$out" | paste -sd ' '))"

# The wheel's console script runs the package's bin through the jsii runtime: check reads that output.
t=$(seconds)
quiet "$venv/bin/cdk8s-dra" check "$out"
echo "python cdk8s-dra check: $(tail -1 "$LOG") in $(elapsed "$t") s"

# Python users patch the same objects: every patched value must reach the YAML and the checks.
"$venv/bin/python" test/python/escape_hatches.py
# Unknown names from Python: refused (TypeError) where Python sees them; see the script.
quiet "$venv/bin/python" scripts/python/unknown_props.py
grep '^python unknown props:' "$LOG"
