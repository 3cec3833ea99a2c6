package io.jmpi.launch;

import java.util.ArrayList;
import java.util.List;

/**
 * JVM options jmpirun gives every rank JVM of a process job (one JVM per rank) unless the user's {@code --jvm-args}
 * already set that option: they cut the CPU each rank JVM burns while it starts, which is what an empty job of many
 * ranks on few cores waits for (issue 21; measured in bench/results/session6/startup.md).
 *
 * <ul>
 *   <li>{@code -XX:CompileThresholdScaling=5}: methods are compiled after five times as many calls and loop
 *       iterations as HotSpot's defaults. A rank's start-up runs a great deal of code a few hundred times (class
 *       initialisation, parsing, the handshake) and the C1 compiler thread spent about a fifth of a rank's CPU
 *       compiling it, code that then never ran again; with the scaling the empty job at 32 ranks took about 15% less
 *       here. A long job's hot loops still reach C1 and C2 (after microseconds more), and the code compiled is the
 *       same; {@code TieredStopAtLevel=1} would cut more but leaves long jobs without C2.</li>
 *   <li>{@code -XX:-UsePerfData}: no {@code /tmp/hsperfdata_<user>/<pid>} file mapped and updated by each rank
 *       (a few ms each); the cost: {@code jps} and {@code jstat} do not list ranks ({@code jcmd PID} and
 *       {@code jstack PID} still work, they attach by pid).</li>
 * </ul>
 * To keep HotSpot's own behaviour, pass the option yourself: {@code --jvm-args="-XX:CompileThresholdScaling=1
 * -XX:+UsePerfData"}.
 */
final class RankJvmOptions {
    /** Each default with the flag name that, found in the user's options, leaves it out. */
    private static final String[][] DEFAULTS = {
            {"CompileThresholdScaling", "-XX:CompileThresholdScaling=5"},
            {"UsePerfData", "-XX:-UsePerfData"},
    };

    private RankJvmOptions() {
    }

    /** The defaults that {@code userArgs} (the ranks' {@code --jvm-args}) do not set themselves. */
    static List<String> defaults(List<String> userArgs) {
        List<String> out = new ArrayList<>(DEFAULTS.length);
        for (String[] d : DEFAULTS) {
            boolean given = false;
            for (String a : userArgs) given |= a.startsWith("-XX:") && a.contains(d[0]);
            if (!given) out.add(d[1]);
        }
        return out;
    }
}
