#!/usr/bin/env bash
# The compat task (part of every compile): jsii-diff of the assembly just compiled against the
# last release on npm, so a breaking API change fails the build unless .compatignore lists it.
# Before the first release there is nothing to compare: npm answers 404, and the task says so.
# Any other failure to ask npm (offline) fails the build: a build that could not check
# compatibility does not pass as one that did.
set -euo pipefail
cd "$(dirname "$0")/.."
name="$(node -p "require('./package.json').name")"
if ! answer="$(npm view "$name" version 2>&1)"; then
  if grep -q 'E404' <<<"$answer"; then
    echo "compat: $name has no release on npm yet: nothing to compare the API with"
    exit 0
  fi
  echo "compat: cannot ask npm for the last release of $name:" >&2
  echo "$answer" >&2
  exit 1
fi
echo "compat: comparing the API with $name@$answer (the last release on npm)"
exec jsii-diff "npm:$name@$answer" --keys --ignore-file .compatignore
