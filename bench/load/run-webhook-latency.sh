#!/usr/bin/env bash
# Webhook-to-check latency (issue 5's target: ≤ 100 ms from the webhook's 200 to the changed check answer), on SQLite
# and PostgreSQL. The Release server runs in-process in bench/Tollgate.LoadTools beside the fake Stripe (real HTTP over
# loopback both ways); each sample changes the company's subscription in the fake Stripe to the other plan, delivers
# the signed customer.subscription.updated webhook, and polls POST /flags/sso/check until it flips. Baseline in the same
# run: the same plan move through PUT /company-plans. Writes bench/results/webhook-latency-<date>.md.
#
#   bash bench/load/run-webhook-latency.sh            # SAMPLES (200), STORES ("sqlite postgres")
#
# PostgreSQL is the private test cluster of .ci/start-postgres.sh (started if needed).
set -euo pipefail
cd "$(dirname "$0")/../.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
samples=${SAMPLES:-200}
stores=${STORES:-sqlite postgres}
date=$(date -u +%Y-%m-%d)
out=bench/results/webhook-latency-$date.md
work=$(mktemp -d /tmp/tollgate-webhook-latency.XXXXXX)

dotnet build -c Release bench/Tollgate.LoadTools -v q -nologo >/dev/null
tool=bench/Tollgate.LoadTools/bin/Release/net10.0/Tollgate.LoadTools.dll

{
  echo "# Webhook-to-check latency — $date"
  echo
  echo "Command: \`bash bench/load/run-webhook-latency.sh\` (SAMPLES=$samples). Machine: $(nproc) cores, $(uname -sr)."
  echo "From the 200 of a signed \`customer.subscription.updated\` delivery (the subscription moved to the other plan in"
  echo "the fake Stripe) to the first \`POST /flags/sso/check\` that answers the new plan; baseline: the same move made"
  echo "with \`PUT /company-plans\`, from its 200 to the first check that shows it. Server in Release, in-process, real"
  echo "HTTP over loopback. Target: ≤ 100 ms."
  echo
  echo "| store | webhook p50 | p90 | p99 | max | API p50 | API p99 | ratio p50 (webhook / API) |"
  echo "|---|---|---|---|---|---|---|---|"
} > "$out"

for store in $stores; do
  if [ "$store" = postgres ]; then
    bash .ci/start-postgres.sh >/dev/null
    # shellcheck disable=SC1091
    source "${TOLLGATE_PG_DIR:-/tmp/tollgate-pg}/env.sh"
    db=tollgate_webhook_latency_$$
    admin="${TOLLGATE_TEST_POSTGRES}"
    PGPASSWORD=tollgate psql -h 127.0.0.1 -p "${TOLLGATE_PG_PORT:-55432}" -U tollgate -d tollgate -qc "CREATE DATABASE $db" >/dev/null
    connection="${admin/Database=tollgate/Database=$db}"
  else
    connection="Data Source=$work/tollgate.db"
  fi
  line=$(dotnet "$tool" webhook-latency "$store" "$connection" "$samples" | tee -a "$work/raw.txt" | grep '^RESULT ' | sed 's/^RESULT //')
  if [ "$store" = postgres ]; then
    PGPASSWORD=tollgate psql -h 127.0.0.1 -p "${TOLLGATE_PG_PORT:-55432}" -U tollgate -d tollgate -qc "DROP DATABASE $db" >/dev/null
  fi
  node -e '
    const r = JSON.parse(process.argv[1]);
    const f = (v) => v.toFixed(2) + " ms";
    console.log(`| ${r.store} | ${f(r.webhook_p50_ms)} | ${f(r.webhook_p90_ms)} | ${f(r.webhook_p99_ms)} | ${f(r.webhook_max_ms)} | ${f(r.api_p50_ms)} | ${f(r.api_p99_ms)} | ${(r.webhook_p50_ms / r.api_p50_ms).toFixed(1)}× |`);
  ' "$line" >> "$out"
done

echo >> "$out"
echo "Raw: \`$(grep '^RESULT ' "$work/raw.txt" | tr '\n' ' ')\`" >> "$out"
cat "$out"
