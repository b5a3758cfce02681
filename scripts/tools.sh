#!/usr/bin/env bash
# Installs what the build and the tests need, skipping whatever is already there.
#   scripts/tools.sh build   Rust WASM target, trunk, wasm-bindgen-cli, wasm-opt (binaryen)
#   scripts/tools.sh lint    leptosfmt (the view! macro formatter that `make lint` runs)
#   scripts/tools.sh test    all of the above, plus Chromium, Playwright and the Python venvs
#   scripts/tools.sh infra   cfn-lint, in a venv of its own (.venv-infra: its pins are its own)
#   scripts/tools.sh deploy  the Python venv with boto3 (what `make deploy` runs in)
#   scripts/tools.sh bench   wrk and jq (what `make bench` drives the server with, beside chat_load)
# Versions are pinned here and in Trunk.toml; see TOOLCHAIN notes in ARCHITECTURE.md.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen crate in Cargo.lock
BINARYEN_VERSION=132.0.0       # Debian's binaryen (108) produces broken output
LEPTOSFMT_VERSION=0.1.33
CFN_LINT_VERSION=1.58.0
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '==> %s\n' "$*"; }

build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
    say "installing trunk $TRUNK_VERSION (takes a few minutes once)"
    cargo install --locked "trunk@$TRUNK_VERSION"
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes a few minutes once)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
  if ! .tools/node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q "version 132"; then
    say "installing binaryen $BINARYEN_VERSION (wasm-opt) into .tools/"
    mkdir -p .tools
    npm install --silent --no-audit --no-fund --prefix .tools "binaryen@$BINARYEN_VERSION"
  fi
}

lint_tools() {
  if ! leptosfmt --version 2>/dev/null | grep -q "$LEPTOSFMT_VERSION"; then
    say "installing leptosfmt $LEPTOSFMT_VERSION (takes two minutes once)"
    cargo install --locked "leptosfmt@$LEPTOSFMT_VERSION"
  fi
}

python_venv() {
  if ! .venv/bin/python -c 'import boto3, pytest, moto, yaml, openai' 2>/dev/null; then
    say "creating the Python venv for protocol tests and AWS stand-ins (boto3, pytest, moto, openai)"
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -r end2end/requirements.txt
  fi
}

infra_tools() {
  # The glibc check of the Lambda artifacts reads their symbol versions with objdump.
  if ! command -v objdump >/dev/null; then
    say "installing binutils (objdump)"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get install -y binutils >/dev/null 2>&1 ||
      { $sudo apt-get update >/dev/null && $sudo apt-get install -y binutils >/dev/null; }
  fi
  if ! .venv-infra/bin/cfn-lint --version 2>/dev/null | grep -q "$CFN_LINT_VERSION"; then
    say "installing cfn-lint $CFN_LINT_VERSION into .venv-infra/"
    python3 -m venv .venv-infra
    .venv-infra/bin/pip install --quiet --disable-pip-version-check "cfn-lint==$CFN_LINT_VERSION"
  fi
}

test_tools() {
  if ! command -v chromium >/dev/null; then
    say "installing Chromium (Debian)"
    export DEBIAN_FRONTEND=noninteractive
    # As root on CI machines; through sudo where the user is not (GitHub's runners).
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get install -y chromium chromium-driver >/dev/null 2>&1 ||
      { $sudo apt-get update >/dev/null && $sudo apt-get install -y chromium chromium-driver >/dev/null; }
  fi
  # Also after the lock file changes (a new test dependency), not only on a fresh clone.
  if [ ! -x end2end/node_modules/.bin/playwright ] ||
    [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "installing Playwright and axe-core (no browser download; Debian's Chromium is used)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund)
  fi
  python_venv
}

bench_tools() {
  # wrk (as fast as it goes) and jq, for `make bench`; the rest of the load is ours (chat_load).
  if ! command -v wrk >/dev/null || ! command -v jq >/dev/null; then
    say "installing wrk and jq (Debian)"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get install -y wrk jq >/dev/null 2>&1 ||
      { $sudo apt-get update >/dev/null && $sudo apt-get install -y wrk jq >/dev/null; }
  fi
}

case "${1:-build}" in
  build) build_tools ;;
  lint) lint_tools ;;
  test) build_tools; lint_tools; test_tools; infra_tools ;;
  infra) infra_tools ;;
  deploy) python_venv ;;
  bench) bench_tools ;;
  *) echo "usage: $0 build|lint|test|infra|deploy|bench" >&2; exit 2 ;;
esac
