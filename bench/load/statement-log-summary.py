# Sums a PostgreSQL statement log (log_min_duration_statement = 0, log_line_prefix '%m [%p] ') by statement, for the
# backends listed in <pids file>: wall milliseconds and count per parse/bind/execute/statement, largest first.
#   python3 bench/load/statement-log-summary.py <log> <pids file>   (as written by split-ingest-cpu.sh with STMTLOG=1)
import re,sys,collections
log, pids = sys.argv[1], set(open(sys.argv[2]).read().split())
tot=collections.defaultdict(lambda:[0,0.0])
rx=re.compile(r'\[(\d+)\] LOG:  duration: ([\d.]+) ms  (\w+)(?: [^:]*)?: (.*)')
for line in open(log, errors='replace'):
    m=rx.search(line)
    if not m or m.group(1) not in pids: continue
    text=re.sub(r'\$\d+','$',m.group(4))
    text=re.sub(r'\(@?p?\$?[\w, $@]*\)(, \([^)]*\))+','(…rows…)',text)
    key=(m.group(3), text[:110])
    tot[key][0]+=1; tot[key][1]+=float(m.group(2))
items=sorted(tot.items(), key=lambda kv:-kv[1][1])
total=sum(v[1] for v in tot.values())
print(f"total {total:.0f} ms in {sum(v[0] for v in tot.values())} statements")
for (kind,text),(n,ms) in items[:25]:
    print(f"{ms:9.1f} ms {n:6d}x {kind:9s} {text}")
