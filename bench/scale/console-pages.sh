#!/usr/bin/env bash
# Prints the `--page` arguments of the `pages` command for every console page that needs no draft, migration or
# rule to exist, with real ids taken from a generated store:
#   bench/scale/console-pages.sh sqlite:/tmp/scale-100k-sqlite/tollgate.db
#   bench/scale/console-pages.sh 'pg:host=127.0.0.1 port=55432 user=tollgate password=tollgate dbname=scale_100k'
# Use: Tollgate.Scale.dll pages --url … $(bench/scale/console-pages.sh sqlite:…) --requests 200 --concurrency 4
set -euo pipefail
store=${1:?usage: console-pages.sh sqlite:<file> | pg:<conninfo>}
first() {
    local sql="SELECT id FROM resources WHERE kind = '$1' ORDER BY id LIMIT 1"
    if [[ $store == sqlite:* ]]; then sqlite3 "${store#sqlite:}" "$sql"; else psql "${store#pg:}" -Atc "$sql"; fi
}
company=$(first company)
plan=$(first plan)
feature=$(first feature)
flag=$(first flag)
for page in /console /console/account /console/audit /console/check "/console/check/all?companyId=$company" \
    /console/companies "/console/companies/$company" /console/credits /console/environments /console/events \
    /console/features /console/features/new "/console/features/$feature" /console/flags "/console/flags/$flag" \
    /console/migrations /console/plan-groups /console/plans /console/plans/grid "/console/plans/$plan" \
    "/console/plans/$plan/features/$feature" "/console/plans/$plan/versions" /console/stripe /console/team; do
    printf -- '--page %s ' "$page"
done
echo
