# Runs each query 40 times through psql with \timing, prints p95/median.
P="psql -h 127.0.0.1 -p 55432 -U tollgate -d dirbench -q -X"
python3 - <<'PY' > /tmp/dirbench/pg_cases.txt
from queries import *
import re
def sub(sql, params):
    for k,v in params.items():
        sql = sql.replace(':'+k, ("'%s'" % v) if isinstance(v,str) else str(v))
    return sql
for name, where, params, order, offset in cases:
    p = dict(params, e="env1", limit=25, offset=offset)
    c = sub(f"SELECT COUNT(*) FROM (SELECT 1 FROM company_directory WHERE environment_id = :e{where} LIMIT 10001) m", p)
    r = sub(f"SELECT {COLS} FROM company_directory WHERE environment_id = :e{where} ORDER BY {order} LIMIT :limit OFFSET :offset", p)
    print(name + "\t" + c.replace("\n"," ") + "; " + r.replace("\n"," ") + ";")
print("dashboard counts (5 queries)\t" + "; ".join(sub(q, {"e":"env1","near":0.8}) for q in counts_sql) + ";")
PY
while IFS=$'\t' read -r name sql; do
  f=$(mktemp); { echo '\timing on'; for i in $(seq 41); do echo "$sql"; done; } > $f
  $P -f $f 2>&1 | grep '^Time:' | awk '{print $2}' > $f.t
  # sum per iteration: number of statements per iteration
  n=$(echo "$sql" | grep -o ';' | wc -l)
  python3 -c "
import sys
t=[float(x) for x in open('$f.t')]
n=$n
its=[sum(t[i:i+n]) for i in range(0,len(t),n)][1:]
its.sort(); print(f'{\"$name\":32s} p95 {its[int(len(its)*0.95)-1]:7.1f} ms  median {its[len(its)//2]:7.1f} ms')"
  rm -f $f $f.t
done < /tmp/dirbench/pg_cases.txt
