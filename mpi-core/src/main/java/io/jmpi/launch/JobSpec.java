package io.jmpi.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to start a job, as decided by the command line: what each JVM runs and with which settings.
 *
 * @param np         number of ranks
 * @param java       java executable of the rank JVMs
 * @param jvmArgs    extra JVM options of every rank
 * @param classPath  class path of the rank JVMs, or null to pass none ({@code -jar} in process mode)
 * @param program    what follows the JVM options: {@code MAIN args...} or {@code -jar JAR args...}
 * @param settings   {@code JMPI_<SETTING>} environment variables to give every rank
 * @param local      true: one JVM runs all ranks as threads ({@link #LOCAL_JOB_MAIN}); false: one JVM per rank
 * @param tagOutput  prefix every forwarded line with {@code [rank] }
 * @param timeoutSeconds end the job after this long; 0 for no limit
 * @param diagnoseAfterSeconds print a hang diagnosis once the job has run this long; 0 for never
 * @param launch     where and how the rank JVMs are started ({@link Launch.Mode#LOCAL} unless hosts, an allocation or
 *                   {@code --wrap} say otherwise)
 */
record JobSpec(int np, String java, List<String> jvmArgs, String classPath, List<String> program,
               Map<String, String> settings, boolean local, boolean tagOutput, long timeoutSeconds, Launch launch,
               long diagnoseAfterSeconds) {
    /** Main class of the local transport's job JVM; its arguments are {@code <np> <program...>}. */
    static final String LOCAL_JOB_MAIN = "io.jmpi.runtime.ThreadJob";
    /**
     * {@link #LOCAL_JOB_MAIN}'s option {@code --rank-class-path CP} (first in {@link #program}): each rank thread loads
     * the program from CP in a class loader of its own, so that its statics are its own.
     */
    static final String RANK_CLASS_PATH = "--rank-class-path";
    /** {@link #LOCAL_JOB_MAIN}'s option {@code --tag-output}: the job prefixes its rank threads' lines itself. */
    static final String TAG_OUTPUT = "--tag-output";
    /**
     * System property put on every JVM of a job, {@code -Djmpi.job=<job id hex>}: it lets an operator (and the
     * integration tests) find the processes of one job. The job id is not a secret.
     */
    static final String JOB_PROPERTY = "jmpi.job";

    JobSpec {
        jvmArgs = List.copyOf(jvmArgs);
        program = List.copyOf(program);
        settings = Map.copyOf(settings);
    }

    /** Number of processes the job supervises as ranks (1 for the local transport's JVM). */
    int processes() {
        return local ? 1 : np;
    }

    /** True when one external command (srun, mpirun) starts every rank. */
    boolean external() {
        return launch.mode() == Launch.Mode.SLURM || launch.mode() == Launch.Mode.WRAP;
    }

    /** The command line of every process of the job (identical for all ranks: they differ by environment). */
    List<String> command(long jobId) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        // one JVM per rank: the options that make a rank JVM start cheaper (not for the local transport's one JVM)
        if (!local) cmd.addAll(RankJvmOptions.defaults(jvmArgs));
        cmd.add("-D" + JOB_PROPERTY + "=" + Long.toHexString(jobId));
        cmd.addAll(jvmArgs);
        if (classPath != null) {
            cmd.add("-cp");
            cmd.add(classPath);
        }
        if (local) {
            cmd.add(LOCAL_JOB_MAIN);
            cmd.add(Integer.toString(np));
        }
        cmd.addAll(program);
        return cmd;
    }
}
