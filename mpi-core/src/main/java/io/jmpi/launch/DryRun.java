package io.jmpi.launch;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code jmpirun --dry-run}: prints what a job would start, without starting it. The per-job identity (job id,
 * secret, launcher address) does not exist yet and is shown as placeholders; the secret would never be printed.
 */
final class DryRun {
    private DryRun() {
    }

    static void print(PrintStream out, JobSpec job, Map<String, String> env) {
        out.println("jmpirun: dry run: " + job.np() + " rank" + (job.np() == 1 ? "" : "s") + " in "
                + (job.local() ? "one JVM (local transport)" : job.processes() + " JVM" + (job.processes() == 1 ? "" : "s")));
        for (Map.Entry<String, String> e : new TreeMap<>(job.settings()).entrySet()) {
            out.println("  env " + e.getKey() + "=" + e.getValue());
        }
        if (!job.local()) {
            out.println("  env JMPI_RANK=<0.." + (job.np() - 1) + "> JMPI_SIZE=" + job.np()
                    + " JMPI_LOCAL_RANK=<rank> JMPI_JOB_ID=<job> JMPI_LAUNCHER=<"
                    + (job.launch().mode() == Launch.Mode.LOCAL ? "127.0.0.1" : "address") + ":port> JMPI_SECRET=<hidden>");
        }
        Launch launch = job.launch();
        if (!launch.bind().isEmpty()) out.println("  bind " + launch.bind());
        switch (launch.mode()) {
            case SSH:
                out.println("  launch agent " + String.join(" ", launch.agent()) + " (remote ranks read JMPI_SECRET "
                        + "from stdin)");
                for (int r = 0; r < launch.ranks().size(); r++) {
                    Placement.Rank p = launch.ranks().get(r);
                    out.println("  rank " + r + " on " + p.host() + (p.local() ? " (this machine)" : "")
                            + " local rank " + p.localRank());
                }
                break;
            case SLURM:
                if (JobRunner.usesAgents(job, env)) {
                    List<Placement.Rank> ranks = SlurmAgents.place(env, launch.prefix(), job.np());
                    out.println("  launch agents: " + String.join(" ", SlurmAgents.stepArgv(launch.prefix(),
                            SlurmAgents.nodes(ranks), List.of())) + " java ... " + SlurmAgent.class.getName()
                            + " (one task per node; setting hostAgents)");
                    for (int r = 0; r < ranks.size(); r++) {
                        out.println("  rank " + r + " on " + ranks.get(r).host() + " local rank " + ranks.get(r).localRank());
                    }
                    break;
                }
                // fall through: one srun task per rank
            case WRAP:
                out.println("  every rank started by: " + String.join(" ", launch.prefix()) + " <command>");
                out.println("  env JMPI_RANK_FROM=" + launch.rankFrom());
                break;
            default:
                break;
        }
        List<String> cmd = job.command(0);
        out.println("  command " + String.join(" ", cmd).replace("-D" + JobSpec.JOB_PROPERTY + "=0", "-D"
                + JobSpec.JOB_PROPERTY + "=<job>"));
        if (job.timeoutSeconds() > 0) out.println("  timeout " + job.timeoutSeconds() + " s");
    }
}
