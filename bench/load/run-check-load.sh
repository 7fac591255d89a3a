#!/usr/bin/env bash
# Load test of POST /flags/{key}/check on warm companies against the same server's cheapest endpoint (GET /health),
# measured in the same run with wrk, and written to bench/results/check-load-<date>.md (plus the raw wrk output beside
# it) and the latest table into bench/README.md. About 4 minutes on the 2-core development machine.
#
#   bash bench/load/run-check-load.sh
#
# What it does: installs wrk (Debian) if missing; publishes the server in Release into a temporary folder; starts it on
# 127.0.0.1 with a fresh SQLite data folder, the demo data set and a fixed test key; records every check answer; warms
# it up with all three request kinds (30 s: tiered JIT and dynamic PGO need that long, shared/spec/limits.md);
# then, for two logging settings of the same process (as shipped: the built-in defaults, no line per request; then
# request logging off: Logging:LogLevel:Default=Warning, switched through appsettings.json reload, 10 s re-warm), runs
# wrk for {health, check, check-user} x {16, 64} connections; then restarts the server with telemetry and rate limits
# off (Tollgate:Metrics:Prometheus=false, Tollgate:RateLimits:Enabled=false, logging off; same data, warm-up again)
# and runs the same six, for the cost of metrics and rate limiting. Any socket error, non-2xx answer, unexpected
# server warning or error, or changed answer fails the run (exit 1; the report is still written, marked FAILED).
# Expected notices (EXPECTED_NOTICES, an extended regex of messages: by default the missing TOLLGATE_MASTER_KEY
# warning a test server without a master key logs at start) are kept in the report as notices, not failures.
#
# Settings (environment): PORT (5799), DURATION per wrk run (15s), WARMUP (30s), REWARM (10s), THREADS (2), and
# SOURCE (worktree): what to build, the working tree or "head", the committed HEAD exported into the temporary folder
# (isolated from edits in progress); WAIT_IDLE (0): wait up to that many seconds after the build for the machine to
# fall quiet (below 0.15 core busy for 3 s) before starting. wrk and the server share the cores; nothing is pinned.
set -euo pipefail
cd "$(dirname "$0")/../.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

port=${PORT:-5799}
duration=${DURATION:-15s}
warmup=${WARMUP:-30s}
rewarm=${REWARM:-10s}
threads=${THREADS:-2}
api_key=tg_sk_load_test_not_a_secret_0001_Jm4vQx8Rz2Wb
expected_notices=${EXPECTED_NOTICES:-'TOLLGATE_MASTER_KEY is not set'}
base=http://127.0.0.1:$port
lua=bench/load/load.lua
results=bench/results
date=$(date -u +%Y-%m-%d)
started=$(date +%s)
work=$(mktemp -d /tmp/tollgate-load.XXXXXX)
runs=$work/runs.jsonl
context=$work/context.tsv
raw=$work/wrk.txt
log=$work/server.log
problems=$work/server-problems.log
notices=$work/server-notices.log
clk_tck=$(getconf CLK_TCK)
server_pid=
: > "$runs"; : > "$context"; : > "$raw"; : > "$problems"; : > "$notices"

ctx() { printf '%s\t%s\n' "$1" "$2" >> "$context"; }

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2> /dev/null; then
    kill -TERM "$server_pid" 2> /dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2> /dev/null || break; sleep 0.2; done
    kill -0 "$server_pid" 2> /dev/null && kill -KILL "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
  fi
  server_pid=
}
on_exit() {
  local rc=$?
  stop_server
  [ "$rc" -eq 0 ] || echo "== exit $rc; the server log and wrk output are kept in $work" >&2
}
trap on_exit EXIT

echo "== wrk"
if ! command -v wrk > /dev/null; then
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update && $sudo apt-get install -y wrk
fi

source=${SOURCE:-worktree}
commit=$(git rev-parse --short HEAD)
case $source in
  worktree) tree=. ;;
  head) tree=$work/source; mkdir -p "$tree"; git archive "$commit" | tar -x -C "$tree" ;;
  *) echo "SOURCE is worktree or head, not $source" >&2; exit 1 ;;
esac
echo "== build (Release) of the $source into $work/server"
dotnet publish "$tree/src/Tollgate.Server/Tollgate.Server.csproj" -c Release -o "$work/server" -v minimal

if curl -s -o /dev/null --max-time 2 "$base/"; then
  echo "something already answers on $base; set PORT" >&2
  exit 1
fi

# CPU ticks of the whole machine: busy (user nice system irq softirq) and steal.
machine_ticks() { awk '/^cpu /{ print $2+$3+$4+$7+$8, $9 }' /proc/stat; }
server_ticks() { awk '{ print $14+$15 }' "/proc/$server_pid/stat"; }

busy_cores() { # over $1 seconds
  local b0 b1
  read -r b0 _ < <(machine_ticks); sleep "$1"; read -r b1 _ < <(machine_ticks)
  awk -v d=$((b1 - b0)) -v hz="$clk_tck" -v s="$1" 'BEGIN{ printf "%.2f", d/hz/s }'
}
wait_idle=${WAIT_IDLE:-0}
if [ "$wait_idle" -gt 0 ]; then
  deadline=$(( $(date +%s) + wait_idle ))
  until awk -v b="$(busy_cores 3)" 'BEGIN{ exit !(b < 0.15) }'; do
    if [ "$(date +%s)" -ge "$deadline" ]; then echo "   the machine is still busy after $wait_idle s; going on"; break; fi
    echo "   waiting for the machine to fall quiet"
  done
fi
ctx busy_before "$(busy_cores 2)"
ctx load_before "$(cut -d' ' -f1-3 /proc/loadavg)"

mkdir -p "$work/root" "$work/data"
start_server() { # extra arguments
  echo "== start the server on $base (data: $work/data) $*"
  # The content root is $work/root, where an appsettings.json appears later to turn request logging off.
  (
    cd "$work/root"
    exec env -u ASPNETCORE_ENVIRONMENT -u DOTNET_ENVIRONMENT -u TOLLGATE_POSTGRES -u ASPNETCORE_URLS \
      TOLLGATE_API_KEY="$api_key" dotnet "$work/server/Tollgate.Server.dll" \
      --demo --data "$work/data" --urls "$base" "$@" >> "$log" 2>&1
  ) &
  server_pid=$!
  for i in $(seq 120); do
    if curl -sf -o /dev/null --max-time 1 "$base/health"; then break; fi
    kill -0 "$server_pid" 2> /dev/null || { echo "the server exited:" >&2; tail -30 "$log" >&2; exit 1; }
    [ "$i" -lt 120 ] || { echo "the server did not answer /health within 60 s" >&2; exit 1; }
    sleep 0.5
  done
}
start_server

# Every check the load test sends, once, with its HTTP status: the answers before load and after must be identical.
answers() {
  local flag pair company user body
  for flag in api-calls seats sso ai-credits; do
    for pair in acme:ana@acme.test globex:hank@globex.test initech:peter@initech.test; do
      company=${pair%%:*}; user=${pair#*:}
      for body in "{\"company\":{\"id\":\"$company\"}}" "{\"company\":{\"id\":\"$company\"},\"user\":{\"email\":\"$user\"}}"; do
        printf '%s %s -> ' "$flag" "$body"
        curl -s -w ' HTTP %{http_code}\n' -X POST "$base/flags/$flag/check" \
          -H "X-Schematic-Api-Key: $api_key" -H 'Content-Type: application/json' -d "$body"
      done
    done
  done
}
answers > "$work/answers-before.txt"

# Warnings and errors the server logged since the last call (each entry: its level and category line, then its
# message line). Expected notices (EXPECTED_NOTICES) are kept apart; every other entry is a problem, kept as evidence
# and counted. Then the log is emptied (the server appends to it, so it goes on writing at the new end).
log_problems() {
  local entries n
  entries=$(awk '/^(warn|fail|crit): /{ head = $0; msg = ""; getline msg; sub(/^ +/, "", msg); print head " | " msg }' "$log")
  if [ -n "$entries" ]; then
    printf '%s\n' "$entries" | grep -E -- "$expected_notices" | sed "s/^/$1: /" >> "$notices" || true
    entries=$(printf '%s\n' "$entries" | grep -vE -- "$expected_notices" || true)
  fi
  n=0
  if [ -n "$entries" ]; then
    n=$(printf '%s\n' "$entries" | wc -l)
    { echo "--- $1: $n problem entries:"; printf '%s\n' "$entries" | head -30; } >> "$problems"
  fi
  echo "$n"
  : > "$log"
}

wrk_cmd() { # mode connections duration
  echo "LOAD_MODE=$1 LOAD_API_KEY=$api_key wrk -t$threads -c$2 -d$3 --timeout 2s --latency -s $lua $base"
}

run() { # config mode connections duration
  local config=$1 mode=$2 conns=$3 dur=$4 out=$work/wrk-one.txt
  local s0 s1 m0 m1 st0 st1 t0 t1 wrk_cpu result rss threads_now problems_now log_bytes
  echo "-- $config: $mode, $conns connections, $dur"
  s0=$(server_ticks); read -r m0 st0 < <(machine_ticks); t0=$(date +%s.%N)
  TIMEFORMAT='%U %S'
  { time LOAD_MODE=$mode LOAD_API_KEY=$api_key wrk -t"$threads" -c"$conns" -d"$dur" --timeout 2s --latency -s "$lua" "$base" > "$out" 2>&1; } 2> "$work/time.txt"
  t1=$(date +%s.%N); s1=$(server_ticks); read -r m1 st1 < <(machine_ticks)
  wrk_cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$work/time.txt")
  rss=$(awk '/^VmRSS/{ print $2 }' "/proc/$server_pid/status")
  threads_now=$(awk '/^Threads/{ print $2 }' "/proc/$server_pid/status")
  log_bytes=$(stat -c %s "$log")
  problems_now=$(log_problems "$config $mode c$conns")
  { echo "===== $config: $(wrk_cmd "$mode" "$conns" "$dur")"; cat "$out"; echo; } >> "$raw"
  result=$(sed -n 's/^RESULT //p' "$out")
  [ -n "$result" ] || { echo "wrk printed no RESULT line:" >&2; cat "$out" >&2; exit 1; }
  awk -v hz="$clk_tck" -v config="$config" -v conns="$conns" -v s=$((s1 - s0)) -v m=$((m1 - m0)) -v st=$((st1 - st0)) \
      -v t0="$t0" -v t1="$t1" -v wrk_cpu="$wrk_cpu" -v rss="$rss" -v thr="$threads_now" -v prob="$problems_now" -v lb="$log_bytes" -v r="$result" \
    'BEGIN { printf "{\"config\":\"%s\",\"connections\":%d,\"wall_s\":%.2f,\"server_cpu_s\":%.2f,\"wrk_cpu_s\":%s,\"busy_s\":%.2f,\"steal_s\":%.2f,\"rss_kb\":%d,\"threads\":%d,\"log_problems\":%d,\"log_bytes\":%d,\"wrk\":%s}\n",
      config, conns, t1 - t0, s / hz, wrk_cpu, m / hz, st / hz, rss, thr, prob, lb, r }' >> "$runs"
  grep -E 'Requests/sec|99%|Non-2xx|Socket errors' "$out" | sed 's/^/   /'
}

echo "== warm-up: $warmup of all three request kinds at 64 connections"
LOAD_MODE=mixed LOAD_API_KEY=$api_key wrk -t"$threads" -c64 -d"$warmup" --timeout 2s -s "$lua" "$base" | grep -E 'Requests/sec|Non-2xx|Socket errors' || true
[ "$(log_problems warm-up)" -eq 0 ] || echo "   (the server logged problems during the warm-up; see the report)"

measure() { # config
  for conns in 16 64; do
    for mode in health check check-user; do
      run "$1" "$mode" "$conns" "$duration"
    done
  done
}

echo "== as shipped (no appsettings.json: the built-in logging defaults, metrics and rate limits on)"
measure as-shipped

echo "== request logging off (appsettings.json: Logging:LogLevel:Default=Warning, reloaded by the running server)"
printf '{"Logging":{"LogLevel":{"Default":"Warning"}}}\n' > "$work/root/appsettings.json"
quiet=no
for _ in $(seq 40); do
  : > "$log"; curl -s -o /dev/null "$base/health"; sleep 0.25
  if [ ! -s "$log" ]; then quiet=yes; break; fi
done
ctx logging_switched "$quiet"
[ "$quiet" = yes ] || { echo "the server kept logging requests after appsettings.json changed" >&2; exit 1; }
LOAD_MODE=mixed LOAD_API_KEY=$api_key wrk -t"$threads" -c64 -d"$rewarm" --timeout 2s -s "$lua" "$base" | grep -E 'Requests/sec' || true
log_problems re-warm > /dev/null
measure logging-off

echo "== telemetry and rate limits off (a new process on the same data; logging off)"
ctx notices_first_process "$(wc -l < "$notices")"
stop_server
log_problems restart > /dev/null
start_server --Tollgate:Metrics:Prometheus=false --Tollgate:RateLimits:Enabled=false
LOAD_MODE=mixed LOAD_API_KEY=$api_key wrk -t"$threads" -c64 -d"$warmup" --timeout 2s -s "$lua" "$base" | grep -E 'Requests/sec' || true
[ "$(log_problems warm-up-2)" -eq 0 ] || echo "   (the server logged problems during the second warm-up; see the report)"
curl -s "$base/metrics" -o /dev/null -w '   /metrics answers %{http_code} (404: off)\n'
measure telemetry-off

echo "== answers after load"
answers > "$work/answers-after.txt"
if cmp -s "$work/answers-before.txt" "$work/answers-after.txt"; then ctx answers_unchanged yes; else ctx answers_unchanged no; fi
ctx answers_count "$(wc -l < "$work/answers-after.txt")"
ctx answers_non200 "$(grep -vc ' HTTP 200$' "$work/answers-after.txt" || true)"
acme=$(curl -s -X POST "$base/flags/api-calls/check" -H "X-Schematic-Api-Key: $api_key" -H 'Content-Type: application/json' \
  -d '{"company":{"id":"acme"}}')
ctx acme_answer "$acme"
ctx acme_ok "$(node -e '
  const d = JSON.parse(process.argv[1]).data;
  console.log(d.value === true && d.reason.startsWith("Matched plan entitlement rule \"Pro\"") ? "yes" : "no");' "$acme")"

# The server process at the end: CPU time since start, RSS and its peak, threads; then the runtime it ran on.
ctx server_ps "$(ps -o pid=,etime=,time=,pcpu=,rss=,vsz=,nlwp= -p "$server_pid" | awk '{$1=$1; print}')"
ctx server_hwm_kb "$(awk '/^VmHWM/{ print $2 }' "/proc/$server_pid/status")"
ctx runtime "$(grep -o '/[^ ]*/Microsoft.NETCore.App/[^/]*' "/proc/$server_pid/maps" | head -1 | sed 's|.*/||')"
ctx aspnetcore "$(grep -o '/[^ ]*/Microsoft.AspNetCore.App/[^/]*' "/proc/$server_pid/maps" | head -1 | sed 's|.*/||')"
log_problems shutdown > /dev/null
stop_server

elapsed=$(( $(date +%s) - started ))
sources_hash=$(git ls-files --cached --others --exclude-standard -- 'src/*.cs' 'src/*.csproj' | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-12)
if [ "$source" = head ]; then
  source_state="HEAD as committed, built from git archive"
elif [ -n "$(git status --porcelain -- src)" ]; then
  source_state="src/ with uncommitted changes (C# and project files sha256 $sources_hash)"
else
  source_state="src/ as committed (C# and project files sha256 $sources_hash)"
fi
ctx date "$date"
ctx commit "$commit"
ctx source_state "$source_state"
ctx elapsed "$((elapsed / 60)) min $((elapsed % 60)) s"
ctx nproc "$(nproc)"
ctx cpu "$(awk -F': ' '/^model name/{ print $2; exit }' /proc/cpuinfo)"
ctx memory "$(awk '/^MemTotal/{ printf "%.0f GiB", $2/1048576 }' /proc/meminfo)"
ctx kernel "$(uname -r)"
ctx sdk "$(dotnet --version)"
ctx gc_server "$(grep -o '"System.GC.Server": [a-z]*' "$work/server/Tollgate.Server.runtimeconfig.json" | awk '{ print $2 }')"
ctx wrk "$(wrk --version 2>&1 | head -1 | awk '{ print $1, $2 }') (Debian package $(dpkg-query -W -f='${Version}' wrk 2> /dev/null || echo '?'))"
ctx load_after "$(cut -d' ' -f1-3 /proc/loadavg)"
ctx duration "$duration"; ctx warmup "$warmup"; ctx rewarm "$rewarm"; ctx threads "$threads"; ctx base "$base"
ctx cmd_check "$(wrk_cmd check 64 "$duration")"
ctx cmd_warmup "$(wrk_cmd mixed 64 "$warmup" | sed 's/ --latency//')"
ctx cmd_server "cd <content root> && TOLLGATE_API_KEY=$api_key dotnet <publish>/Tollgate.Server.dll --demo --data <fresh folder> --urls $base"
ctx cmd_server_off "… the same … --Tollgate:Metrics:Prometheus=false --Tollgate:RateLimits:Enabled=false (and appsettings.json: Logging:LogLevel:Default=Warning)"
if [ "$source" = head ]; then
  ctx cmd_build "git archive HEAD | tar -x -C <source> && dotnet publish <source>/src/Tollgate.Server/Tollgate.Server.csproj -c Release -o <publish>"
else
  ctx cmd_build "dotnet publish src/Tollgate.Server/Tollgate.Server.csproj -c Release -o <publish>"
fi
ctx source "$source"

echo "== report"
mkdir -p "$results"
cp "$raw" "$results/check-load-$date-wrk.txt"
status=0
node bench/load/report.mjs --runs="$runs" --context="$context" --problems="$problems" --notices="$notices" \
  --answers="$work/answers-after.txt" --out="$results/check-load-$date.md" --raw="check-load-$date-wrk.txt" \
  --readme=bench/README.md || status=$?
cat "$results/check-load-$date.md"
if [ "$status" -ne 0 ]; then
  echo "== FAILED: see $results/check-load-$date.md" >&2
  exit "$status"
fi
echo "== wrote $results/check-load-$date.md, $results/check-load-$date-wrk.txt and bench/README.md ($((elapsed / 60)) min $((elapsed % 60)) s)"
rm -rf "$work"
