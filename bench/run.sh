#!/usr/bin/env bash
# `make bench`: the release server alone on core 0, the load from another process on core 1,
# every figure beside the server's own floor (GET /config.json) measured in the same run.
# Prints one markdown table. Needs wrk (scripts/tools.sh bench installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CARGO_TARGET_DIR:=$PWD/target}"
SERVER="$CARGO_TARGET_DIR/release/tasko-server"
DURATION="${BENCH_SECONDS:-10}"
PORT="${BENCH_PORT:-3917}"
BASE="http://127.0.0.1:$PORT"
DATA="$(mktemp -d)"
LOG="$DATA/server.log"
PASSWORD='Corr3ct-Horse!'

cleanup() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT

PORT=$PORT DATA_DIR="$DATA" LOG=warn CHAT_TURNS_PER_MINUTE=10000 \
  taskset -c 0 "$SERVER" >"$LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 200); do curl -sf "$BASE/config.json" >/dev/null && break; sleep 0.05; done

idp() { # operation, json
  curl -sf "$BASE/idp" -H 'Content-Type: application/x-amz-json-1.1' \
    -H "X-Amz-Target: AWSCognitoIdentityProviderService.$1" -d "$2"
}
CLIENT_ID=$(curl -sf "$BASE/config.json" | jq -r .cognito.clientId)
idp SignUp "{\"ClientId\":\"$CLIENT_ID\",\"Username\":\"bench@example.com\",\"Password\":\"$PASSWORD\"}" >/dev/null
TOKEN=$(idp InitiateAuth "{\"ClientId\":\"$CLIENT_ID\",\"AuthFlow\":\"USER_PASSWORD_AUTH\",\"AuthParameters\":{\"USERNAME\":\"bench@example.com\",\"PASSWORD\":\"$PASSWORD\"}}" \
  | jq -r .AuthenticationResult.IdToken)
for n in $(seq 100); do
  curl -sf "$BASE/api/todos" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"title\":\"Todo number $n with a few words\",\"dateDue\":\"2026-12-0$(( n % 9 + 1 ))\",\"notes\":\"Some notes for todo $n\"}" >/dev/null
done
ETAG=$(curl -sI "$BASE/api/todos" -H "Authorization: Bearer $TOKEN" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')

# wrk's --latency output -> "req/s p50_ms p99_ms"
measure() { # connections, path, extra wrk args...
  local connections=$1 path=$2; shift 2
  taskset -c 1 wrk -t1 -c"$connections" -d"${DURATION}s" --latency "$@" "$BASE$path" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
    END { printf "%.0f %.3f %.3f\n", rps, p50, p99 }'
}

row() { # label, floor rps, figures
  local label=$1 floor=$2; read -r rps p50 p99 <<<"$3"
  printf '| %s | %s | %s | %s | %s |\n' "$label" "$rps" "$p50" "$p99" \
    "$(awk -v a="$rps" -v b="$floor" 'BEGIN { printf "%.1f%%", 100 * a / b }')"
}

AUTH=(-H "Authorization: Bearer $TOKEN")
floor=$(measure 16 /config.json)
list=$(measure 16 /api/todos "${AUTH[@]}")
list_gzip=$(measure 16 /api/todos "${AUTH[@]}" -H 'Accept-Encoding: gzip')
poll=$(measure 16 /api/todos "${AUTH[@]}" -H "If-None-Match: $ETAG")
floor_after=$(measure 16 /config.json)
read -r floor_rps _ <<<"$floor"

echo
echo "Tasko benchmark, $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)); server on core 0, wrk on core 1, ${DURATION} s each, 16 connections"
echo
echo '| what | requests/s | p50 ms | p99 ms | of the floor |'
echo '| --- | --- | --- | --- | --- |'
row 'floor: `GET /config.json`' "$floor_rps" "$floor"
row '`GET /api/todos`, 100 todos' "$floor_rps" "$list"
row '`GET /api/todos`, 100 todos, gzip' "$floor_rps" "$list_gzip"
row '`GET /api/todos` unchanged (`If-None-Match`: 304)' "$floor_rps" "$poll"
row 'floor again (drift check)' "$floor_rps" "$floor_after"
