#!/usr/bin/env bash
# Runs a command with moto (the local stand-in for DynamoDB, Cognito and S3) on a free port,
# with the standard AWS SDK environment pointing at it; stops moto afterwards.
#   scripts/with-moto.sh cargo test ...
set -euo pipefail
cd "$(dirname "$0")/.."

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p target
MOTO_PORT="$port" .venv/bin/python scripts/moto_serial.py 127.0.0.1 "$port" > target/moto.log 2>&1 &
moto_pid=$!
trap 'kill $moto_pid 2>/dev/null || true' EXIT
# Ready when it answers (Python, so the script needs no curl).
.venv/bin/python - "$port" <<'PY'
import sys, time, urllib.request
for _ in range(200):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/moto-api/", timeout=1)
        break
    except Exception:
        time.sleep(0.1)
else:
    sys.exit("moto did not start; see target/moto.log")
PY

export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
export AWS_REGION=us-east-1
export AWS_ACCESS_KEY_ID=test
export AWS_SECRET_ACCESS_KEY=test
export TASKO_TEST_MOTO=1
"$@"
