#!/usr/bin/env bash
# Regenerates the Python lock files from their inputs (`make lock`):
#   end2end/requirements.in -> end2end/requirements.txt   (.venv: tests, stand-ins, deploy)
#   infra/requirements.in   -> infra/requirements.txt     (.venv-infra: cfn-lint, checkov)
# Every package, transitive ones included, gets an exact version and its hashes; versions
# already in a lock are kept unless the input asks otherwise. `make lock UPGRADE=1` moves
# everything to the newest versions the inputs allow. uv runs from a throwaway venv.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9
PYTHON_VERSION=3.11   # Debian bookworm's python3, which the venvs are made with

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --disable-pip-version-check "uv==$UV_VERSION"

upgrade=()
[ "${UPGRADE:-0}" = 1 ] && upgrade=(--upgrade)
for input in end2end/requirements.in infra/requirements.in; do
  echo "==> ${input%.in}.txt"
  "$tmp/venv/bin/uv" pip compile --quiet --generate-hashes --python-version "$PYTHON_VERSION" \
    ${upgrade[@]+"${upgrade[@]}"} --custom-compile-command "make lock" "$input" -o "${input%.in}.txt"
done
