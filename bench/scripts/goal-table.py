#!/usr/bin/env python3
"""Summarises bench/scripts/goal-table.sh's raw output: per row the median over rounds of each system's mean (and
jmpi's p50/p99/max), and the ratio jmpi / Open MPI (bandwidth: jmpi / Open MPI MB/s, higher is better)."""
import re
import statistics
import sys
from collections import defaultdict

runs = defaultdict(list)  # (system, test, np, size) -> [(size, v1, p50, p99, max)]
key = None
for line in open(sys.argv[1]):
    m = re.match(r'## r\d+ (\S+) (\S+) np(\d+)', line)
    if m:
        key = (m[1], m[2], int(m[3]))
        continue
    f = line.split()
    if key and len(f) == 5 and re.match(r'^\d+$', f[0]):
        runs[key + (int(f[0]),)].append([float(x) for x in f])
        key = None
print("| test | np | size | jmpi shm mean (p50/p99/max) | Open MPI shm mean (p50) | ratio "
      "| jmpi tcp mean (p50/p99/max) | Open MPI tcp mean (p50) | ratio |")
print("|---|---|---:|---|---|---:|---|---|---:|")
for t, n, size in dict.fromkeys(k[1:] for k in runs):  # rows in the order the raw file has them
    cells = []
    for tr in ("shm", "tcp"):
        j, o = runs.get(("jmpi-" + tr, t, n, size), []), runs.get(("ompi-" + tr, t, n, size), [])
        if not j or not o:
            cells += ["-", "-", "-"]
            continue
        jm, om = statistics.median(r[1] for r in j), statistics.median(r[1] for r in o)
        jp50, jp99 = statistics.median(r[2] for r in j), statistics.median(r[3] for r in j)
        jmax = max(r[4] for r in j)
        cells += [f"{jm:.2f} ({jp50:.2f}/{jp99:.2f}/{jmax:.0f})", f"{om:.2f} ({statistics.median(r[2] for r in o):.2f})",
                  f"{jm / om:.2f}x"]
    print(f"| {t} | {n} | {size} | " + " | ".join(cells) + " |")
