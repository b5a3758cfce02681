# The two commands: `make run` (build everything, serve at http://127.0.0.1:$(PORT)) and
# `make test` (every test). Both install missing tools first (scripts/tools.sh).
SHELL := /bin/bash
PORT ?= 3000
DATA_DIR ?= ./data
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# One target dir for every build (cargo, Trunk's cargo, tests).
export CARGO_TARGET_DIR ?= $(CURDIR)/target

.PHONY: run serve test tools lint-tools test-tools dist server lint unit e2e idp-protocol infra \
	standins openai-protocol mcp-protocol bench \
	infra-lint lambda-artifact infra-schema deploy destroy fuzz fmt clean lock

run: tools dist server
	@echo "Tasko on http://127.0.0.1:$(PORT) (data in $(DATA_DIR)); Ctrl-C stops it."
	PORT=$(PORT) DATA_DIR=$(DATA_DIR) $(CARGO_TARGET_DIR)/debug/tasko-server

# Serve without rebuilding (after `make dist server`).
serve:
	PORT=$(PORT) DATA_DIR=$(DATA_DIR) $(CARGO_TARGET_DIR)/debug/tasko-server

tools:
	@bash scripts/tools.sh build

lint-tools:
	@bash scripts/tools.sh lint

test-tools:
	@bash scripts/tools.sh test

dist:
	cargo fetch --locked >/dev/null
	trunk build --release
	node scripts/precompress.mjs dist

server:
	cargo build --locked -p server --bins

test: test-tools dist lint unit idp-protocol openai-protocol mcp-protocol infra e2e

lint: lint-tools
	leptosfmt --quiet --check app/src
	cargo fmt --all --check
	cargo clippy --locked -p server -p app --all-targets -- -D warnings
	cargo clippy --locked -p frontend -p markdown --target wasm32-unknown-unknown -- -D warnings

# Unit and integration tests of every crate (the server ones boot the real router).
unit:
	bash scripts/with-moto.sh cargo test --locked -p app -p server --features app/markdown

# The local IdP driven by a real AWS client (boto3).
idp-protocol: server
	TASKO_SERVER_BIN=$(CARGO_TARGET_DIR)/debug/tasko-server .venv/bin/python -m pytest -q end2end/idp

# /mcp driven by the official MCP Python SDK with a personal access token.
mcp-protocol: server
	TASKO_SERVER_BIN=$(CARGO_TARGET_DIR)/debug/tasko-server .venv/bin/python -m pytest -q end2end/mcp

# The stand-in model server (Chat Completions) read by the official `openai` Python client.
standins:
	cargo build --locked -p server --example openai_standin

openai-protocol: standins
	TASKO_OPENAI_STANDIN_BIN=$(CARGO_TARGET_DIR)/debug/examples/openai_standin \
		.venv/bin/python -m pytest -q end2end/openai

# The deployment, checked without AWS: cfn-lint, checkov (a security scanner), assertions on the template, the data
# resources created by moto's CloudFormation with the conformance suites run on them, and the
# release Lambda artifacts (glibc no newer than Amazon Linux 2023's).
infra: server infra-lint lambda-artifact
	TASKO_SERVER_BIN=$(CARGO_TARGET_DIR)/debug/tasko-server \
		bash scripts/with-moto.sh .venv/bin/python -m pytest -q infra/tests

infra-lint:
	@bash scripts/tools.sh infra
	.venv-infra/bin/cfn-lint infra/template.yaml
	.venv-infra/bin/checkov --quiet --compact --skip-download --framework cloudformation -f infra/template.yaml

# Release build of tasko-server and tasko-action-group, zipped as `bootstrap` for Lambda.
lambda-artifact:
	.venv/bin/python infra/deploy.py artifact

# Rewrites the template's FunctionSchema from the tool definition.
infra-schema: server
	.venv/bin/python infra/cfn.py $(CARGO_TARGET_DIR)/debug/tasko-server

# Needs AWS credentials, STACK_NAME and AWS_REGION (README: Deploy to AWS).
deploy: tools
	@bash scripts/tools.sh deploy
	.venv/bin/python infra/deploy.py deploy

destroy:
	@bash scripts/tools.sh deploy
	.venv/bin/python infra/deploy.py destroy

# Playwright in Debian's Chromium against the real server and the built frontend.
e2e: server standins
	@echo "Playwright runs in: $$(chromium --version 2>/dev/null)"
	TASKO_SERVER_BIN=$(CARGO_TARGET_DIR)/debug/tasko-server TASKO_DIST=$(CURDIR)/dist \
	TASKO_OPENAI_STANDIN_BIN=$(CARGO_TARGET_DIR)/debug/examples/openai_standin \
		bash scripts/with-moto.sh bash -c "cd end2end && npx playwright test"

# Performance measured from outside: the release server alone on core 0, wrk on core 1, each
# figure beside the server's own floor (GET /config.json) in the same run. Not in `make test`.
bench:
	@bash scripts/tools.sh bench
	cargo build --locked --release -p server --bin tasko-server --example chat_load --example reminder_sweep
	bash bench/run.sh

# The property tests of every parser of untrusted input, with many more cases than
# `make test` runs (256 each there), and a worst-case-time search over the quick-add and
# date parsers (release build; fails if any input takes over 5 ms). Not part of
# `make test`: minutes, not seconds.
FUZZ_CASES ?= 20000
fuzz:
	FUZZ_CASES=$(FUZZ_CASES) cargo run --locked --release -p app --example parse_worst_case
	PROPTEST_CASES=$(FUZZ_CASES) cargo test --locked -p app --features markdown -- markdown::tests::generated
	PROPTEST_CASES=$(FUZZ_CASES) cargo test --locked -p server --features app/markdown --test api -- properties::
	TASKO_STREAM_CASES=200 cargo test --locked -p server --features app/markdown --test api -- any_event_stream

# Regenerates the Python locks (exact versions, hashes) from end2end/ and infra/requirements.in;
# UPGRADE=1 moves to the newest versions the inputs allow (README: Python dependencies).
lock:
	bash scripts/lock.sh

fmt: lint-tools
	leptosfmt --quiet app/src
	cargo fmt --all

clean:
	rm -rf dist target .tools .venv end2end/node_modules
