#!/usr/bin/env bash
# `make bench`: the release server alone on core 0, the load from another process on core 1,
# every figure beside the server's own floor (GET /config.json) measured in the same run.
# Prints markdown tables. Needs wrk, hey and jq (scripts/tools.sh bench installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CARGO_TARGET_DIR:=$PWD/target}"
SERVER="$CARGO_TARGET_DIR/release/tasko-server"
LOAD="$CARGO_TARGET_DIR/release/examples/chat_load"
ulimit -n "$(ulimit -Hn)" # 10,000 idle chats need as many sockets on each side
DURATION="${BENCH_SECONDS:-10}"
PORT="${BENCH_PORT:-3917}"
BASE="http://127.0.0.1:$PORT"
DATA="$(mktemp -d)"
mkdir -p "$DATA"
LOG="$DATA/server.log"
PASSWORD='Corr3ct-Horse!'

cleanup() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT

start_server() { # extra environment...
  [ -n "${SERVER_PID:-}" ] && { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; }
  env PORT=$PORT DATA_DIR="$DATA" LOG=warn CHAT_TURNS_PER_MINUTE=10000 "$@" \
    taskset -c 0 "$SERVER" >"$LOG" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 200); do curl -sf "$BASE/config.json" >/dev/null && return; sleep 0.05; done
  echo "the server did not start" >&2; cat "$LOG" >&2; exit 1
}

rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$SERVER_PID/status"; }

start_server

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

# hey at a constant rate (50 workers x RATE/50 each) -> "req/s p50_ms p99_ms"
paced() { # rate, path, extra hey args...
  local rate=$1 path=$2; shift 2
  taskset -c 1 hey -z "${DURATION}s" -c 50 -q $(( rate / 50 )) "$@" "$BASE$path" | awk '
    /Requests\/sec:/ { rps = $2 } / 50% in/ { p50 = $3 * 1000 } / 99% in/ { p99 = $3 * 1000 }
    END { printf "%.0f %.3f %.3f\n", rps, p50, p99 }'
}

row() { # label, floor rps ("-": a paced row, no ratio), figures
  local label=$1 floor=$2; read -r rps p50 p99 <<<"$3"
  local ratio="-"
  [ "$floor" = "-" ] || ratio=$(awk -v a="$rps" -v b="$floor" 'BEGIN { printf "%.1f%%", 100 * a / b }')
  printf '| %s | %s | %s | %s | %s |\n' "$label" "$rps" "$p50" "$p99" "$ratio"
}

AUTH=(-H "Authorization: Bearer $TOKEN")
floor=$(measure 16 /config.json)
list=$(measure 16 /api/todos "${AUTH[@]}")
list_gzip=$(measure 16 /api/todos "${AUTH[@]}" -H 'Accept-Encoding: gzip')
poll=$(measure 16 /api/todos "${AUTH[@]}" -H "If-None-Match: $ETAG")
floor_paced=$(paced 5000 /config.json -disable-compression)
list_paced=$(paced 5000 /api/todos "${AUTH[@]}" -disable-compression)
floor_after=$(measure 16 /config.json)
read -r floor_rps _ <<<"$floor"

# The chat relay: AGENT=stamp sends 20 chunks 100 ms apart, each stamped with the time it
# left the agent; chat_load (core 1) measures how long until it arrived.
start_server AGENT=stamp STAMP_CHUNKS=20 STAMP_GAP_MS=100
chat_floor=$(measure 16 /config.json)
read -r chat_floor_rps _ <<<"$chat_floor"
relay100=$(taskset -c 1 "$LOAD" relay "$BASE" "$DATA" 100)
relay1000=$(taskset -c 1 "$LOAD" relay "$BASE" "$DATA" 1000)

# Idle chats: silent SSE turns and WebSockets without a turn; the server's RSS growth each.
IDLE_SSE=${BENCH_IDLE_SSE:-5000}
IDLE_WS=${BENCH_IDLE_WS:-5000}
start_server AGENT=stamp STAMP_CHUNKS=1 STAMP_GAP_MS=3600000
taskset -c 1 "$LOAD" idle "$BASE" "$DATA" 50 50 </dev/null >/dev/null # warm-up
sleep 1
rss_before=$(rss_kib)
exec 3> >(taskset -c 1 "$LOAD" idle "$BASE" "$DATA" "$IDLE_SSE" "$IDLE_WS" >"$DATA/idle.out")
for _ in $(seq 1200); do grep -q '^open' "$DATA/idle.out" 2>/dev/null && break; sleep 0.25; done
sleep 2
rss_open=$(rss_kib)
exec 3>&-
idle_kib=$(awk -v a="$rss_open" -v b="$rss_before" -v n=$(( IDLE_SSE + IDLE_WS )) 'BEGIN { printf "%.1f", (a - b) / n }')

echo
echo "Tasko benchmark, $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)); server on core 0, wrk on core 1, ${DURATION} s each, 16 connections"
echo
echo '| what | requests/s | p50 ms | p99 ms | of the floor |'
echo '| --- | --- | --- | --- | --- |'
row 'floor: `GET /config.json`' "$floor_rps" "$floor"
row '`GET /api/todos`, 100 todos' "$floor_rps" "$list"
row '`GET /api/todos`, 100 todos, gzip' "$floor_rps" "$list_gzip"
row '`GET /api/todos` unchanged (`If-None-Match`: 304)' "$floor_rps" "$poll"
row 'floor at a constant 5,000/s (hey, 50 connections)' - "$floor_paced"
row '`GET /api/todos`, 100 todos, at a constant 5,000/s' - "$list_paced"
row 'floor again (drift check)' "$floor_rps" "$floor_after"

relay_row() { # label, "relay chats events p50 p99 max" (µs)
  read -r _ chats events p50 p99 max <<<"$2"
  printf '| %s | %s events | %.3f | %.3f | max %.1f ms |\n' "$1" "$events" \
    "$(awk -v v="$p50" 'BEGIN { print v / 1000 }')" "$(awk -v v="$p99" 'BEGIN { print v / 1000 }')" \
    "$(awk -v v="$max" 'BEGIN { print v / 1000 }')"
}
echo
echo "Chat relay (AGENT=stamp, floor in that run $chat_floor_rps requests/s): the delay from the agent sending an event to its bytes arriving at a client in another process"
echo
echo '| what | events | p50 ms | p99 ms | |'
echo '| --- | --- | --- | --- | --- |'
relay_row '100 concurrent streaming chats' "$relay100"
relay_row '1,000 concurrent streaming chats' "$relay1000"
echo
echo "Idle chats: $IDLE_SSE silent SSE turns + $IDLE_WS WebSockets: the server's RSS from ${rss_before} KiB to ${rss_open} KiB, **${idle_kib} KiB per connection**"
