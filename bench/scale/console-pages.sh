#!/usr/bin/env bash
# Prints the `--page` arguments of the `pages` command for every console page that needs no draft or migration to
# exist (a flag rule's page: the first rule of the generated flags), with real ids taken from a generated store:
#   bench/scale/console-pages.sh sqlite:/tmp/scale-100k-sqlite/tollgate.db
#   bench/scale/console-pages.sh 'pg:host=127.0.0.1 port=55432 user=tollgate password=tollgate dbname=scale_100k'
# Use: Tollgate.Scale.dll pages --url … $(bench/scale/console-pages.sh sqlite:…) --requests 200 --concurrency 4
set -euo pipefail
store=${1:?usage: console-pages.sh sqlite:<file> | pg:<conninfo>}
query() {
    if [[ $store == sqlite:* ]]; then sqlite3 "${store#sqlite:}" "$1"; else psql "${store#pg:}" -Atc "$1"; fi
}
first() { query "SELECT id FROM resources WHERE kind = '$1' ORDER BY id LIMIT 1"; }
company=$(first company)
plan=$(first plan)
feature=$(first feature)
flag=$(first flag)
# A flag's rules are held in its document: the first flag with a rule, and that rule ("<flag id>/rules/<rule id>").
if [[ $store == sqlite:* ]]; then
    rule=$(query "SELECT id || '/rules/' || json_extract(data, '$.rules[0].id') FROM resources WHERE kind = 'flag' AND json_array_length(data, '$.rules') > 0 ORDER BY id LIMIT 1")
else
    rule=$(query "SELECT id || '/rules/' || (data::jsonb -> 'rules' -> 0 ->> 'id') FROM resources WHERE kind = 'flag' AND jsonb_array_length(data::jsonb -> 'rules') > 0 ORDER BY id LIMIT 1")
fi
for page in /console /console/account /console/audit /console/check "/console/check/all?companyId=$company" \
    /console/companies "/console/companies/$company" /console/credits /console/environments /console/events \
    /console/features /console/features/new "/console/features/$feature" /console/flags "/console/flags/$flag" "/console/flags/$rule" /console/insights \
    /console/migrations /console/plan-groups /console/plans /console/plans/grid "/console/plans/$plan" \
    "/console/plans/$plan/features/$feature" "/console/plans/$plan/versions" /console/stripe /console/team; do
    printf -- '--page %s ' "$page"
done
echo
