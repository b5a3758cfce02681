#!/usr/bin/env bash
# `make bench`: the release server alone on core 0, the load from another process on core 1,
# every figure beside the server's own floor (GET /config.json) measured in the same run, and
# the list beside a second floor: its own bytes served as a static file by the same server.
# Prints markdown tables. Needs wrk and jq (scripts/tools.sh bench installs them); the rest of
# the load is ours (server/examples/chat_load.rs). BENCH_SECONDS (10) per HTTP figure,
# BENCH_SOAK_SECONDS (600; 0 skips the soak), BENCH_USERS (1000) and BENCH_TURNS (20);
# BENCH_SHELL_ONLY=1 stops after the app shell's two loads in Chromium (bench/second-load.mjs),
# BENCH_HTTP_ONLY=1 stops after the HTTP table, BENCH_MCP_ONLY=1 measures only the MCP rows
# (a tool call through /mcp beside the same list over REST, bench/mcp-get-todos.lua).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CARGO_TARGET_DIR:=$PWD/target}"
SERVER="$CARGO_TARGET_DIR/release/tasko-server"
LOAD="$CARGO_TARGET_DIR/release/examples/chat_load"
SWEEP="$CARGO_TARGET_DIR/release/examples/reminder_sweep"
ulimit -n "$(ulimit -Hn)" # 10,000 idle chats need as many sockets on each side
DURATION="${BENCH_SECONDS:-10}"
PORT="${BENCH_PORT:-3917}"
BASE="http://127.0.0.1:$PORT"
DATA="$(mktemp -d)"
mkdir -p "$DATA"
# The static files the server serves: the built app plus, once the todos exist, the list's
# answer as a file (the second floor).
DIST="$DATA/dist"
mkdir -p "$DIST"
[ -d dist ] && cp -r dist/. "$DIST/"
LOG="$DATA/server.log"
PASSWORD='Corr3ct-Horse!'

cleanup() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT

# Reminders: BENCH_REMINDERS (10,000) due in one minute, swept by one instance (one core)
# through a push stand-in (server/examples/reminder_sweep.rs). BENCH_REMINDERS_ONLY=1: this
# table alone.
echo
echo "Reminders: one instance's sweep (embedded store, core 0), each reminder claimed once and pushed over HTTP to a local stand-in answering 201"
echo
REMINDERS="${BENCH_REMINDERS:-10000}" taskset -c 0 "$SWEEP"
[ "${BENCH_REMINDERS_ONLY:-0}" = 1 ] && exit 0

start_server() { # extra environment...
  [ -n "${SERVER_PID:-}" ] && { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; }
  env PORT=$PORT DATA_DIR="$DATA" DIST_DIR="$DIST" LOG=warn CHAT_TURNS_PER_MINUTE=10000 "$@" \
    taskset -c 0 "$SERVER" >"$LOG" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 200); do curl -sf "$BASE/config.json" >/dev/null && return; sleep 0.05; done
  echo "the server did not start" >&2; cat "$LOG" >&2; exit 1
}

rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$SERVER_PID/status"; }

# wrk's --latency output -> "req/s p50_ms p99_ms"
measure() { # connections, path, extra wrk args...
  local connections=$1 path=$2; shift 2
  taskset -c 1 wrk -t1 -c"$connections" -d"${DURATION}s" --latency "$@" "$BASE$path" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
    END { printf "%.0f %.3f %.3f\n", rps, p50, p99 }'
}

# Our paced client: a constant rate over 50 connections, latency from each request's
# scheduled moment (so a stall is not hidden by the requests it delayed) -> "req/s p50 p99" ms
paced() { # rate, path, token...
  taskset -c 1 "$LOAD" paced "$BASE" "$DATA" "$1" "$DURATION" "$2" "${3:-}" | awk '
    { printf "%s %.3f %.3f\n", $2, $3 / 1000, $4 / 1000 }'
}

row() { # label, floor rps ("-": a paced row, no ratio), figures
  local label=$1 floor=$2; read -r rps p50 p99 <<<"$3"
  local ratio="-"
  [ "$floor" = "-" ] || ratio=$(awk -v a="$rps" -v b="$floor" 'BEGIN { printf "%.1f%%", 100 * a / b }')
  printf '| %s | %s | %s | %s | %s |\n' "$label" "$rps" "$p50" "$p99" "$ratio"
}


start_server

# The app shell (issue 28): the page loaded twice in Chromium; the second load's wasm comes
# from the service worker's cache. BENCH_SHELL_ONLY=1: this table alone.
echo
echo "App shell: Tasko loaded twice in Chromium (bytes as sent, compressed), the second time with the service worker in control"
echo
if [ -d end2end/node_modules/@playwright/test ]; then
  node bench/second-load.mjs "$BASE"
else
  echo "(skipped: Playwright is not installed; scripts/tools.sh test installs it)"
fi
[ "${BENCH_SHELL_ONLY:-0}" = 1 ] && exit 0

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
curl -sf "$BASE/api/todos" -H "Authorization: Bearer $TOKEN" -o "$DIST/list-floor.json"

# The MCP row: a personal access token of the same user, then getTodos through /mcp beside
# GET /api/todos with that token (both look the token up; the same 100 todos). One call
# first, so a refusal stops the run instead of being measured.
PAT=$(curl -sf "$BASE/api/tokens" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"Bench","access":"read"}' | jq -r .token)
PAT_AUTH=(-H "Authorization: Bearer $PAT")
MCP_CALL=(-s bench/mcp-get-todos.lua)
mcp_todos=$(curl -sf "$BASE/mcp" "${PAT_AUTH[@]}" -H 'Content-Type: application/json' \
  -H 'Accept: application/json, text/event-stream' -H 'MCP-Protocol-Version: 2025-11-25' \
  -d "$(awk -F"'" '/^wrk.body/ { print $2 }' bench/mcp-get-todos.lua)" | jq '.result.structuredContent.todos | length')
[ "$mcp_todos" = 100 ] || { echo "getTodos through /mcp did not answer the 100 todos ($mcp_todos)" >&2; exit 1; }

mcp_rows() {
  rest_pat=$(measure 16 /api/todos "${PAT_AUTH[@]}")
  mcp=$(measure 16 /mcp "${PAT_AUTH[@]}" "${MCP_CALL[@]}")
}

print_mcp_rows() {
  row '`GET /api/todos`, 100 todos, with a personal access token' "$floor_rps" "$rest_pat"
  row 'the same through `/mcp`: `tools/call` getTodos, same token (JSON-RPC)' "$floor_rps" "$mcp"
}

mcp_sentence() {
  read -r rest_pat_rps _ <<<"$rest_pat"
  read -r mcp_rps _ <<<"$mcp"
  echo "A tool call through \`/mcp\` costs **$(awk -v a="$rest_pat_rps" -v b="$mcp_rps" 'BEGIN { printf "%.2f", a / b }')x** the same list over REST (requests/s over requests/s, the same token and todos; the target is at most 1.5x)."
}

# BENCH_MCP_ONLY=1: the floor, the REST list and the same through /mcp, alone (a minute).
if [ "${BENCH_MCP_ONLY:-0}" = 1 ]; then
  floor=$(measure 16 /config.json)
  read -r floor_rps _ <<<"$floor"
  mcp_rows
  echo
  echo "Tasko benchmark, MCP rows only, $(date -u +%Y-%m-%d), $(nproc) cores; server on core 0, the load on core 1, ${DURATION} s each, 16 connections"
  echo
  echo '| what | requests/s | p50 ms | p99 ms | of the floor |'
  echo '| --- | --- | --- | --- | --- |'
  row 'floor: `GET /config.json`' "$floor_rps" "$floor"
  print_mcp_rows
  echo
  mcp_sentence
  exit 0
fi

# A second user with the richer todo: 1,000 todos in three lists, two labels each, three
# subtasks, every fourth repeating weekly with a time.
idp SignUp "{\"ClientId\":\"$CLIENT_ID\",\"Username\":\"rich@example.com\",\"Password\":\"$PASSWORD\"}" >/dev/null
RICH=$(idp InitiateAuth "{\"ClientId\":\"$CLIENT_ID\",\"AuthFlow\":\"USER_PASSWORD_AUTH\",\"AuthParameters\":{\"USERNAME\":\"rich@example.com\",\"PASSWORD\":\"$PASSWORD\"}}" \
  | jq -r .AuthenticationResult.IdToken)
RICH_LISTS=()
for name in Home Work Errands; do
  RICH_LISTS+=("$(curl -sf "$BASE/api/lists" -H "Authorization: Bearer $RICH" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$name\"}" | jq -r .id)")
done
for n in $(seq 1000); do
  repeat=""
  (( n % 4 == 0 )) && repeat=',"repeat":"every monday","dueTime":"09:30"'
  printf '{"title":"Todo number %d with a few words","dateDue":"2026-12-0%d","listId":"%s","labels":["label%d","shared"],"priority":%d,"subtasks":[{"title":"first step"},{"title":"second step","done":true},{"title":"third step"}]%s}' \
    "$n" $(( n % 9 + 1 )) "${RICH_LISTS[$(( n % 3 ))]}" $(( n % 20 )) $(( n % 4 + 1 )) "$repeat"
  echo
done | while read -r body; do
  curl -sf "$BASE/api/todos" -H "Authorization: Bearer $RICH" -H 'Content-Type: application/json' -d "$body" >/dev/null
done
LIST_BYTES=$(wc -c <"$DIST/list-floor.json")

AUTH=(-H "Authorization: Bearer $TOKEN")
floor=$(measure 16 /config.json)
list=$(measure 16 /api/todos "${AUTH[@]}")
list_gzip=$(measure 16 /api/todos "${AUTH[@]}" -H 'Accept-Encoding: gzip')
poll=$(measure 16 /api/todos "${AUTH[@]}" -H "If-None-Match: $ETAG")
floor_paced=$(paced 5000 /config.json)
list_paced=$(paced 5000 /api/todos "$TOKEN")
floor_after=$(measure 16 /config.json)
static_floor=$(measure 16 /list-floor.json)
RICH_AUTH=(-H "Authorization: Bearer $RICH")
# What every browser sends (Chromium's and Firefox's header): the rich rows are measured as
# a browser asks for them, and the whole list once more without compression.
BROWSER=(-H 'Accept-Encoding: gzip, deflate, br, zstd')
rich=$(measure 16 /api/todos "${RICH_AUTH[@]}" "${BROWSER[@]}")
rich_identity=$(measure 16 /api/todos "${RICH_AUTH[@]}")
rich_list=$(measure 16 "/api/todos?list=${RICH_LISTS[1]}" "${RICH_AUTH[@]}" "${BROWSER[@]}")
rich_label=$(measure 16 "/api/todos?label=label7" "${RICH_AUTH[@]}" "${BROWSER[@]}")
mcp_rows
read -r floor_rps _ <<<"$floor"
read -r static_rps _ <<<"$static_floor"

print_http_table() {
  echo "Tasko benchmark, $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)); server on core 0, the load on core 1, ${DURATION} s each, 16 connections"
  echo
  echo '| what | requests/s | p50 ms | p99 ms | of the floor |'
  echo '| --- | --- | --- | --- | --- |'
  row 'floor: `GET /config.json`' "$floor_rps" "$floor"
  row '`GET /api/todos`, 100 todos' "$floor_rps" "$list"
  row '`GET /api/todos`, 100 todos, gzip' "$floor_rps" "$list_gzip"
  row '`GET /api/todos` unchanged (`If-None-Match`: 304)' "$floor_rps" "$poll"
  row 'floor at a constant 5,000/s (50 connections, from the scheduled moment)' - "$floor_paced"
  row '`GET /api/todos`, 100 todos, at a constant 5,000/s' - "$list_paced"
  row 'floor again (drift check)' "$floor_rps" "$floor_after"
  row "second floor: the list's $LIST_BYTES bytes as a static file" "$floor_rps" "$static_floor"
  row '`GET /api/todos`, 1,000 todos with lists, labels, subtasks and rules (browser: gzip)' "$floor_rps" "$rich"
  row '`GET /api/todos`, the same 1,000 todos without compression' "$floor_rps" "$rich_identity"
  row '`GET /api/todos?list=` (one of three lists: 333 todos; browser: gzip)' "$floor_rps" "$rich_list"
  row '`GET /api/todos?label=` (50 todos; browser: gzip)' "$floor_rps" "$rich_label"
  print_mcp_rows
  read -r list_rps _ <<<"$list"
  echo
  echo "The 100-todo list answers at **$(awk -v a="$list_rps" -v b="$static_rps" 'BEGIN { printf "%.1f%%", 100 * a / b }') of the second floor** (the same $LIST_BYTES bytes served as a file by the same server in the same run)."
  echo
  mcp_sentence
}

# BENCH_HTTP_ONLY=1: the HTTP figures alone (seconds, not the half hour of the rest).
if [ "${BENCH_HTTP_ONLY:-0}" = 1 ]; then
  echo
  print_http_table
  exit 0
fi

# The chat relay: AGENT=stamp sends 20 chunks 100 ms apart, each stamped with the time it
# left the agent; chat_load (core 1) reads the kernel's receive time of its bytes. Chats start
# evenly over one gap, as chats begun at different moments do.
start_server AGENT=stamp STAMP_CHUNKS=${BENCH_RELAY_CHUNKS:-50} STAMP_GAP_MS=100
chat_floor=$(measure 16 /config.json)
read -r chat_floor_rps _ <<<"$chat_floor"
relay100=$(taskset -c 1 "$LOAD" relay "$BASE" "$DATA" 100 100)
relay1000=$(taskset -c 1 "$LOAD" relay "$BASE" "$DATA" 1000 100)

# Idle chats: silent SSE turns, then WebSockets without a turn; the server's RSS growth each.
IDLE_SSE=${BENCH_IDLE_SSE:-5000}
IDLE_WS=${BENCH_IDLE_WS:-5000}
start_server AGENT=stamp STAMP_CHUNKS=1 STAMP_GAP_MS=3600000
taskset -c 1 "$LOAD" idle "$BASE" "$DATA" 50 50 </dev/null >/dev/null # warm-up
sleep 1
opened() { # output file of a chat_load idle: waits until it says all are open
  for _ in $(seq 1200); do grep -q '^open' "$1" 2>/dev/null && return; sleep 0.25; done
}
rss_before=$(rss_kib)
exec 3> >(taskset -c 1 "$LOAD" idle "$BASE" "$DATA" "$IDLE_SSE" 0 >"$DATA/idle-sse.out")
opened "$DATA/idle-sse.out"
sleep 2
rss_sse=$(rss_kib)
exec 4> >(taskset -c 1 "$LOAD" idle "$BASE" "$DATA" 0 "$IDLE_WS" >"$DATA/idle-ws.out")
opened "$DATA/idle-ws.out"
sleep 2
rss_open=$(rss_kib)
exec 3>&- 4>&-
per() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.1f", (a - b) / n }'; }
sse_kib=$(per "$rss_sse" "$rss_before" "$IDLE_SSE")
ws_kib=$(per "$rss_open" "$rss_sse" "$IDLE_WS")
idle_kib=$(per "$rss_open" "$rss_before" $(( IDLE_SSE + IDLE_WS )))

# Load: BENCH_USERS users at once, each BENCH_TURNS turns with the LocalAgent (its default
# chunk delay, the default rate limit) and todo edits through the API beside them.
start_server CHAT_TURNS_PER_MINUTE=30
load=$(taskset -c 1 "$LOAD" users "$BASE" "$DATA" "${BENCH_USERS:-1000}" "${BENCH_TURNS:-20}")

# Soak: 100 users, a turn every 2.5 s each, for BENCH_SOAK_SECONDS; the RSS every 30 s.
SOAK=${BENCH_SOAK_SECONDS:-600}
if [ "$SOAK" -gt 0 ]; then
  start_server CHAT_TURNS_PER_MINUTE=30
  taskset -c 1 "$LOAD" soak "$BASE" "$DATA" 100 "$SOAK" >"$DATA/soak.out" &
  SOAK_PID=$!
  : >"$DATA/rss.txt"
  while kill -0 "$SOAK_PID" 2>/dev/null; do
    echo "$(rss_kib)" >>"$DATA/rss.txt"
    sleep 30
  done
  wait "$SOAK_PID"
  soak=$(cat "$DATA/soak.out")
fi

echo
print_http_table

ms() { awk -v v="$1" 'BEGIN { printf "%.3f", v / 1000 }'; }
relay_row() { # label, "relay chats  events p50 p99 max  events p50 p99 max  events p50 p99 max" (µs)
  read -r _ _ e1 a1 b1 c1 e2 a2 b2 c2 e3 a3 b3 c3 <<<"$2"
  printf '| %s | %s | %s | %s | %s | %s / %s / %s | %s / %s |\n' "$1" "$e1" "$(ms "$a1")" "$(ms "$b1")" "$(ms "$c1")" \
    "$(ms "$a2")" "$(ms "$b2")" "$(ms "$c2")" "$(ms "$a3")" "$(ms "$b3")"
}
echo
echo "Chat relay (AGENT=stamp, 100 ms between chunks, chats started evenly over 100 ms; floor in that run $chat_floor_rps requests/s): from the agent sending an event to the kernel receiving its bytes in the client's process, while all chats stream; then over the whole run (starts and ends included), then to the client's read"
echo
echo '| what | events | p50 ms | p99 ms | max ms | whole run p50 / p99 / max | client read p50 / p99 |'
echo '| --- | --- | --- | --- | --- | --- | --- |'
relay_row '100 concurrent streaming chats' "$relay100"
relay_row '1,000 concurrent streaming chats' "$relay1000"
echo
echo "Idle chats: the server's RSS from ${rss_before} KiB to ${rss_sse} KiB with $IDLE_SSE silent SSE turns (**${sse_kib} KiB each**), to ${rss_open} KiB with $IDLE_WS WebSockets more (**${ws_kib} KiB each**): **${idle_kib} KiB per connection** over all $(( IDLE_SSE + IDLE_WS ))"
read -r _ users secs turns c409 c429 errors p50 p99 rest_ok rest_409 rest_errors <<<"$load"
echo
echo "Load: $users users at once, ${BENCH_TURNS:-20} LocalAgent turns each with todo edits through the API beside them, in ${secs} s: $turns turns, p50 ${p50} ms, p99 ${p99} ms (LocalAgent's 15 ms between chunks included); $rest_ok API writes; **$errors errors**, $rest_errors API errors; 409: $c409 + $rest_409, 429: $c429 (retried after Retry-After)"
if [ "$SOAK" -gt 0 ]; then
  read -r _ users secs turns c409 c429 errors p50 p99 rest_ok rest_409 rest_errors <<<"$soak"
  mapfile -t rss <"$DATA/rss.txt"
  warm=${rss[4]:-${rss[-1]}}
  half=${rss[$(( ${#rss[@]} / 2 ))]}
  # The second half's growth per minute: the conversations reach their 200 messages (the
  # largest a turn reads and writes) in the first minutes, so that is still warm-up.
  slope=$(awk -v a="${rss[-1]}" -v b="$half" -v n="${#rss[@]}" \
    'BEGIN { printf "%.2f", (a - b) / 1024 / ((n - 1 - int(n / 2)) / 2) }')
  echo
  echo "Soak: $users users for ${secs} s, a turn every 2.5 s each: $turns turns (p50 ${p50} ms, p99 ${p99} ms), $rest_ok API writes, **$errors errors** ($rest_errors API), 429: $c429. RSS every 30 s (KiB): ${rss[*]}; ${warm} KiB at 2 minutes, ${half} KiB at half time, ${rss[-1]} KiB at the end: **${slope} MiB a minute over the second half**"
fi
