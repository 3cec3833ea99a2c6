package io.jmpi.launch;

import io.jmpi.base.Config;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code jmpirun --explore N --seed S} (issue 19, docs/TOOLS.md): runs the job up to N times, run i with setting
 * {@code exploreSeed = S + i}, under which every receive from ANY_SOURCE takes the message of a sender chosen at
 * random among those waiting (an order MPI allows). Each run's output (stdout sorted by line, so that interleaving of
 * ranks does not count) and exit code are compared with the first run's; at the first difference both are shown with
 * the seed that replays it ({@code --explore 1 --seed X}), and the exit code is 1. No difference: 0.
 */
final class Explore {
    private Explore() {
    }

    record Run(int seed, int code, String out, String err) {
        /** What must be equal between runs: exit code and the sorted lines of standard output. */
        String outcome() {
            return "exit " + code + "\n" + String.join("\n", out.lines().sorted().toList());
        }
    }

    static int run(JmpiRun cli, int runs, int seed, Map<String, String> env, PrintStream out, PrintStream err) {
        Run first = null;
        for (int i = 0; i < runs; i++) {
            Run r = once(cli, seed + i, env);
            if (runs == 1) {
                out.print(r.out());
                err.print(r.err());
                err.println("jmpirun: --explore: run with --seed " + r.seed() + ": exit " + r.code());
                return r.code();
            }
            if (first == null) {
                first = r;
                continue;
            }
            if (!r.outcome().equals(first.outcome())) {
                err.println("jmpirun: --explore: run " + (i + 1) + " of " + runs + " (--seed " + r.seed()
                        + ") differs from run 1 (--seed " + first.seed() + ")");
                err.println("--- run 1 (--seed " + first.seed() + "): exit " + first.code());
                err.print(first.out());
                err.println("--- run " + (i + 1) + " (--seed " + r.seed() + "): exit " + r.code());
                err.print(r.out());
                err.println("jmpirun: replay it with --explore 1 --seed " + r.seed());
                return ExitCodes.RANK_FAILED;
            }
        }
        err.println("jmpirun: --explore: " + runs + " runs (--seed " + seed + " to " + (seed + runs - 1)
                + ") gave the same output and exit code");
        return ExitCodes.OK;
    }

    private static Run once(JmpiRun cli, int seed, Map<String, String> env) {
        List<String> settings = cli.settings;
        settings.removeIf(s -> s.startsWith(Config.EXPLORE_SEED.name() + "="));
        settings.add(Config.EXPLORE_SEED.name() + "=" + seed);
        JobSpec job = new JobPlanner(cli, env).plan();
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = new JobRunner(job, new OutputForwarder(new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8)), env).run();
        return new Run(seed, code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }
}
