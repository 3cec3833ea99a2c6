#!/bin/bash
# alternating rounds: main before issue 19 (old), this branch with tracing off (new), this branch recording (new+trace)
out=/tmp/toolsbench/lat.txt
: > $out
for round in 1 2 3; do
  for t in tcp shm; do
    for sys in old new trace; do
      home=/work/wt-tools; extra=()
      [ $sys = old ] && home=/tmp/wt-tools-base
      if [ $sys = trace ]; then rm -rf /tmp/toolsbench/tr; extra=(-D traceDir=/tmp/toolsbench/tr); fi
      line=$(timeout 120 $home/bin/jmpirun -np 2 --transport $t "${extra[@]}" --bench latency -m 8:8 -t 1 2>&1 | grep -E '^8 ' | head -1)
      echo "$round $t $sys $line load=$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $out
    done
  done
done
rm -rf /tmp/toolsbench/tr
