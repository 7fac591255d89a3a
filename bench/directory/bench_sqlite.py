import sqlite3, time, sys
from queries import *
db = sqlite3.connect(sys.argv[1])
def p95(f, n=40):
    f(); ts=[]
    for _ in range(n):
        t=time.perf_counter(); f(); ts.append((time.perf_counter()-t)*1000)
    ts.sort(); return ts[int(n*0.95)-1], ts[n//2]
for name, where, params, order, offset in cases:
    p = dict(params, e="env1", limit=25, offset=offset)
    def run():
        db.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM company_directory WHERE environment_id = :e{where} LIMIT 10001) m", p).fetchall()
        db.execute(f"SELECT {COLS} FROM company_directory WHERE environment_id = :e{where} ORDER BY {order} LIMIT :limit OFFSET :offset", p).fetchall()
    print(f"{name:32s} p95 {p95(run)[0]:7.1f} ms  median {p95(run)[1]:7.1f} ms")
def counts():
    for q in counts_sql: db.execute(q, {"e":"env1","near":0.8}).fetchall()
print(f"{'dashboard counts (5 queries)':32s} p95 {p95(counts)[0]:7.1f} ms  median {p95(counts)[1]:7.1f} ms")
