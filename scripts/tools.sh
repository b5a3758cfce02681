#!/usr/bin/env bash
# Installs what the build and the tests need, skipping whatever is already there.
#   scripts/tools.sh build   Rust WASM target, trunk, wasm-bindgen-cli, wasm-opt (binaryen)
#   scripts/tools.sh lint    leptosfmt (the view! macro formatter that `make lint` runs)
#   scripts/tools.sh test    all of the above, plus Chromium, Playwright and the Python venvs
#   scripts/tools.sh infra   cfn-lint and checkov, in a venv of its own (.venv-infra: its pins are its own)
#   scripts/tools.sh deploy  the Python venv with boto3 (what `make deploy` runs in)
#   scripts/tools.sh bench   wrk and jq (what `make bench` drives the server with, beside chat_load)
# Versions are pinned here, in Trunk.toml, in the Python locks (end2end/requirements.txt,
# infra/requirements.txt: `make lock`) and in scripts/node-tools/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen crate in Cargo.lock
LEPTOSFMT_VERSION=0.1.33
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
  # binaryen 132 from npm, exactly as scripts/node-tools/package-lock.json says (Debian's
  # binaryen 108 produces broken output); reinstalled whenever that lock changes.
  local lock=scripts/node-tools/package-lock.json
  if ! .tools/node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q "version 132" ||
    ! cmp -s "$lock" .tools/package-lock.json; then
    say "installing binaryen (wasm-opt) into .tools/ from $lock"
    rm -rf .tools/node_modules
    mkdir -p .tools
    cp scripts/node-tools/package.json "$lock" .tools/
    npm ci --silent --no-audit --no-fund --prefix .tools
  fi
}

lint_tools() {
  if ! leptosfmt --version 2>/dev/null | grep -q "$LEPTOSFMT_VERSION"; then
    say "installing leptosfmt $LEPTOSFMT_VERSION (takes two minutes once)"
    cargo install --locked "leptosfmt@$LEPTOSFMT_VERSION"
  fi
}

# A venv with exactly what a lock file lists (hashes checked), made again from scratch
# whenever the lock changes: the lock's sha256 is kept in the venv, so a machine with an
# older venv never keeps older versions.
locked_venv() {
  local venv=$1 lock=$2 want
  want=$(sha256sum "$lock" | cut -d' ' -f1)
  if [ "$(cat "$venv/.lock-sha256" 2>/dev/null)" != "$want" ]; then
    say "creating $venv/ from $lock"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --require-hashes -r "$lock"
    echo "$want" >"$venv/.lock-sha256"
  fi
}

python_venv() {
  # Protocol tests and AWS stand-ins (boto3, pytest, moto, openai, mcp).
  locked_venv .venv end2end/requirements.txt
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
  locked_venv .venv-infra infra/requirements.txt
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
  # Debian's current Chromium: not pinned (old builds leave the archive), so say which one.
  say "Playwright's browser: $(chromium --version 2>/dev/null)"
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
