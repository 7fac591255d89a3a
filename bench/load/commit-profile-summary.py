#!/usr/bin/env python3
"""The ingestion writer's commit cycle per event, by phase, from a split-ingest-cpu.sh run with STMTLOG=1 and
EXTRA_ENV="Logging__LogLevel__Tollgate.Server.Usage.IngestionPipeline=Debug" (the writer logs each commit's phases at
debug level): the commits of each measured mode are the last ones of server.log, as many as its statement log has event
COPYs. Also the mode's costliest statements (wall time in PostgreSQL) per event.

    python3 bench/load/commit-profile-summary.py <split output dir>
"""
import re
import sys

out = sys.argv[1]


def copies(mode):
    with open(f"{out}/stmt-{mode}.log", errors="replace") as log:
        return sum(1 for line in log if "COPY events" in line)


keyed, plain = copies("keyed"), copies("plain")
with open(f"{out}/server.log", errors="replace") as log:
    commits = [line for line in log if "Commit of" in line]
for mode, lines in (("plain", commits[-keyed - plain:-keyed]), ("keyed", commits[-keyed:])):
    phases, events = {}, 0
    for line in lines:
        events += int(re.search(r"Commit of (\d+) events", line).group(1))
        for phase, ms in re.findall(r"(\w+)=([\d.]+)", line.split("phase:")[1]):
            phases[phase] = phases.get(phase, 0) + float(ms)
    print(f"{mode}: {len(lines)} commits, {events / len(lines):.0f} events each, cycle {sum(phases.values()) * 1000 / events:.2f} us/event:",
          " ".join(f"{p}={ms * 1000 / events:.2f}" for p, ms in phases.items()))
    statements = {}
    with open(f"{out}/stmt-{mode}.log", errors="replace") as log:
        for line in log:
            m = re.search(r"duration: ([\d.]+) ms\s+(statement|execute [^:]*|bind [^:]*|parse [^:]*): (.{0,40})", line)
            if m:
                key = m.group(2).split()[0] + " " + m.group(3)
                statements[key] = statements.get(key, 0) + float(m.group(1))
    for key, ms in sorted(statements.items(), key=lambda s: -s[1])[:6]:
        print(f"  {ms:9.1f} ms {ms * 1000 / events:6.2f} us/event  {key}")
