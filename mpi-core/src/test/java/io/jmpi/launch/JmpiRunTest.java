package io.jmpi.launch;

import io.jmpi.base.Config;
import io.jmpi.launch.InProcessJmpirun.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.jmpi.launch.InProcessJmpirun.run;
import static io.jmpi.launch.InProcessJmpirun.runWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line, in-process: errors, help, and (through --dry-run) what a job would start. No JVM is started. */
class JmpiRunTest {
    private static final String SYNOPSIS =
            "Usage: jmpirun -np N [options] (-cp CP MAIN | -jar JAR | --example NAME | --bench NAME) [args...]";

    private static void assertUsageError(String message, String... args) {
        Result r = run(args);
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertEquals("jmpirun: " + message, r.firstErrorLine());
        assertTrue(r.err().contains(SYNOPSIS), r.err());
        assertEquals("", r.out());
    }

    @Test
    void unknownOption() {
        assertUsageError("unknown option '--bogus'", "-np", "2", "--bogus", "-cp", "x", "Main");
    }

    @Test
    void rankCountOutOfRangeOrNotANumber() {
        assertUsageError("-np=0 out of range [1, 4096]", "-np", "0", "-cp", "x", "Main");
        assertUsageError("-np=4097 out of range [1, 4096]", "-n", "4097", "-cp", "x", "Main");
        assertUsageError("-np=abc is not an integer; allowed [1, 4096]", "-np", "abc", "-cp", "x", "Main");
        assertUsageError("missing -np N (number of ranks, [1, 4096])", "-cp", "x", "Main");
        assertUsageError("option '-np' needs a value (N)", "-np");
    }

    @Test
    void settingsAreValidatedByConfig() {
        assertUsageError("-D eagerLimit=-1 out of range [0, 1048576]", "-np", "2", "-D", "eagerLimit=-1", "Main");
        assertUsageError("-D eagerLimit=lots is not valid; allowed [0, 1048576]", "-np", "2", "-DeagerLimit=lots", "Main");
        assertUsageError("--transport=carrier-pigeon out of range [auto, tcp, shm, local]",
                "-np", "2", "--transport", "carrier-pigeon", "Main");
        assertUsageError("-D eagerLimit: expected name=value", "-np", "2", "--set", "eagerLimit", "Main");
        Result r = run("-np", "2", "--set", "bogus=1", "Main");
        assertEquals(ExitCodes.USAGE, r.code());
        StringBuilder known = new StringBuilder();
        for (Config.Setting<?> s : Config.all()) known.append(known.length() == 0 ? "" : ", ").append(s.name());
        assertEquals("jmpirun: -D bogus=1: unknown setting 'bogus'; known: " + known, r.firstErrorLine());
    }

    @Test
    void programIsRequired() {
        assertUsageError("missing program: give -cp CP MAIN, -jar JAR, --example NAME or --bench NAME", "-np", "2");
        assertUsageError("option '-jar' needs a value (JAR)", "-np", "2", "-jar");
        assertUsageError("-jar no-such.jar: no such file", "-np", "2", "-jar", "no-such.jar");
    }

    @Test
    void timeoutAndJavaAreChecked() {
        assertUsageError("--timeout=0 out of range [1, 2592000]", "-np", "1", "--timeout", "0", "Main");
        assertUsageError("--java=/no/such/java is not an executable file", "-np", "1", "--java", "/no/such/java", "Main");
    }

    @Test
    void helpListsEveryOptionAndSetting() {
        Result r = run("--help");
        assertEquals(ExitCodes.OK, r.code());
        assertTrue(r.out().startsWith(SYNOPSIS), r.out());
        for (String option : new String[] {"-np", "-cp", "--class-path", "-jar", "--example", "--bench", "--tag-output",
                "--timeout", "--transport", "-D", "--set", "--java", "--jvm-args", "--dry-run", "--help", "--version"}) {
            assertTrue(r.out().contains(option), option + " in\n" + r.out());
        }
        for (Config.Setting<?> s : Config.all()) {
            String def = String.valueOf(s.defaultValue()).isEmpty() ? "(empty)" : String.valueOf(s.defaultValue());
            assertTrue(r.out().matches("(?s).*\\n  " + s.name() + " +default " + java.util.regex.Pattern.quote(def)
                    + " .*"), s.name() + " with default " + def + " in\n" + r.out());
            assertTrue(r.out().contains(s.range()), s.range());
        }
        assertTrue(r.out().contains("124  --timeout passed"), r.out());
    }

    @Test
    void versionNamesTheLauncherAndJava() {
        Result r = run("--version");
        assertEquals(ExitCodes.OK, r.code());
        assertTrue(r.out().startsWith("jmpirun "), r.out());
        assertTrue(r.out().contains("Java " + Runtime.version()), r.out());
    }

    @Test
    void everythingAfterMainBelongsToTheProgram() {
        Result r = run("--dry-run", "-np", "3", "--jvm-args=-Dfoo=bar -ea", "-Dtransport=tcp", "-cp", "app.jar",
                "org.example.Main", "--bogus", "-np", "9");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        String command = command(r.out());
        assertTrue(command.contains(" -Djmpi.job=<job> -Dfoo=bar -ea -cp app.jar:"), command);
        assertTrue(command.endsWith(" org.example.Main --bogus -np 9"), command);
        assertTrue(r.out().contains("jmpirun: dry run: 3 ranks in 3 JVMs"), r.out());
        assertTrue(r.out().contains("  env JMPI_TRANSPORT=tcp"), r.out());
        assertTrue(r.out().contains("JMPI_SECRET=<hidden>"), r.out());
    }

    @Test
    void jarProgramsAndTheLocalTransport(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("app.jar"));
        Result processes = run("--dry-run", "-np", "2", "-jar", jar.toString(), "-x");
        assertTrue(command(processes.out()).endsWith(" -Djmpi.job=<job> -jar " + jar + " -x"), processes.out());

        Result local = run("--dry-run", "-np", "4", "--transport", "local", "-jar", jar.toString(), "a", "b");
        assertEquals(ExitCodes.OK, local.code(), local.err());
        String command = command(local.out());
        // the JVM's class path is jmpi's; each rank thread loads the jar in a class loader of its own
        assertFalse(command.contains(" -cp " + jar), command);
        assertTrue(command.endsWith(" " + JobSpec.LOCAL_JOB_MAIN + " 4 " + JobSpec.RANK_CLASS_PATH + " " + jar
                + " -jar " + jar + " a b"), command);
        assertTrue(local.out().contains("dry run: 4 ranks in one JVM (local transport)"), local.out());

        // --shared-statics: the program once, on the JVM's class path; --tag-output: the job tags its threads' lines
        String shared = command(run("--dry-run", "-np", "2", "--transport", "local", "--shared-statics", "--tag-output",
                "-jar", jar.toString()).out());
        assertTrue(shared.contains(" -cp " + jar + ":"), shared);
        assertTrue(shared.endsWith(" " + JobSpec.LOCAL_JOB_MAIN + " 2 " + JobSpec.TAG_OUTPUT + " -jar " + jar), shared);
        assertUsageError("--shared-statics is for --transport local (ranks as threads of one JVM)",
                "-np", "2", "--shared-statics", "-jar", jar.toString());

        assertUsageError("-cp cannot be combined with -jar (java ignores it); put the class path in the jar's "
                + "manifest, or use -cp CP MAIN", "-np", "2", "-cp", "x", "-jar", jar.toString());
    }

    @Test
    void listingsRunOnOneProcess() {
        Result r = run("--dry-run", "-np", "8", "--example", "list");
        if (r.code() == ExitCodes.CANNOT_LAUNCH) return; // examples not built in this checkout
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("dry run: 1 rank in 1 JVM"), r.out());
        assertTrue(command(r.out()).endsWith(" " + JmpiRun.EXAMPLES_MAIN + " list"), r.out());
    }

    @Test
    void missingExamplesJarIsACannotLaunchError(@TempDir Path home) {
        JmpiHome h = new JmpiHome(home, null);
        try {
            h.examplesClassPath();
        } catch (io.jmpi.base.MpiException e) {
            assertTrue(e.getMessage().startsWith("cannot find mpi-core: no mpi-core/target/mpi-core-*.jar under "),
                    e.getMessage());
            assertEquals(ExitCodes.CANNOT_LAUNCH, ExitCodes.forError(e));
            return;
        }
        throw new AssertionError("expected an error");
    }

    @Test
    void homeFindsTheNewestModuleJar(@TempDir Path home) throws Exception {
        Path target = Files.createDirectories(home.resolve("examples/target"));
        Files.createFile(target.resolve("jmpi-examples-1.0-sources.jar"));
        Path jar = Files.createFile(target.resolve("jmpi-examples-1.0.jar"));
        Path core = Files.createDirectories(home.resolve("mpi-core/target/classes"));
        Files.createDirectories(home.resolve("mpi-core/target/lib"));
        JmpiHome h = new JmpiHome(home, core);
        assertEquals(java.util.List.of(core.toString(), home.resolve("mpi-core/target/lib") + "/*", jar.toString()),
                h.examplesClassPath());
        assertFalse(h.coreClassPath().contains(jar.toString()));
    }

    @Test
    void hostsArePlacedAndThisMachineIsStartedDirectly() {
        // 192.0.2.200 (TEST-NET-1) is never this machine; a literal needs no name lookup
        Result r = run("--dry-run", "-np", "3", "--host", "localhost:1,192.0.2.200:2", "--launch-agent", "ssh -F cfg",
                "-cp", "app", "Main");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("  launch agent ssh -F cfg (remote ranks read JMPI_SECRET from stdin)\n"), r.out());
        assertTrue(r.out().contains("  rank 0 on localhost (this machine) local rank 0\n"
                + "  rank 1 on 192.0.2.200 local rank 0\n  rank 2 on 192.0.2.200 local rank 1\n"), r.out());
        assertTrue(command(r.out()).contains(" -cp " + Path.of("app").toAbsolutePath()), "class path made absolute: "
                + r.out());
    }

    @Test
    void clusterOptionsAreChecked() {
        assertUsageError("-np 3 needs 3 slots but only 2 are available (localhost:2); add slots, hosts, or "
                + "--oversubscribe", "-np", "3", "--host", "localhost:2", "Main");
        assertUsageError("give --hostfile or --host, not both", "-np", "1", "--host", "a", "--hostfile", "f", "Main");
        assertUsageError("--launcher ssh needs --hostfile FILE or --host HOST[:K],...", "-np", "1", "--launcher", "ssh",
                "Main");
        assertUsageError("--map-by needs --hostfile FILE or --host HOST[:K],...", "-np", "1", "--map-by", "node", "Main");
        assertUsageError("--wrap cannot be combined with --host/--hostfile: give the hosts to the wrapped command",
                "-np", "1", "--host", "a", "--wrap", "mpirun", "Main");
        assertUsageError("--transport local runs every rank as a thread of one JVM on this machine; it cannot be combined"
                + " with --host/--hostfile", "-np", "2", "--transport", "local", "--host", "localhost:2", "Main");
        assertUsageError("--bind=eth0 is not an IP address or CIDR (e.g. 10.0.0.5 or 10.0.0.0/24); use --iface NAME "
                + "for an interface", "-np", "1", "--bind", "eth0", "Main");
        assertUsageError("--launcher=pbs is not valid; allowed auto, local, ssh, slurm", "-np", "1", "--launcher", "pbs",
                "Main");
        assertUsageError("--launcher slurm needs a Slurm allocation (SLURM_JOB_ID is not set): run jmpirun inside salloc "
                + "or an sbatch script", "-np", "1", "--launcher", "slurm", "Main");
        assertUsageError("--map-by=socket is not valid; allowed slot, node", "-np", "1", "--host", "a", "--map-by",
                "socket", "Main");
        Result r = run("-np", "1", "--hostfile", "/nonexistent/hf", "Main");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.firstErrorLine().startsWith("jmpirun: --hostfile /nonexistent/hf: cannot read it ("), r.err());
        Result iface = run("-np", "1", "--iface", "nosuchif0", "Main");
        assertTrue(iface.firstErrorLine().startsWith("jmpirun: --iface: bind=nosuchif0 is not an IP address, CIDR or "
                + "interface name"), iface.err());
    }

    @Test
    void wrapStartsEveryRankThroughTheGivenCommand() {
        Result r = run("--dry-run", "-np", "2", "--iface", "lo", "--wrap", "mpirun -np 2 --bind-to none", "-cp", "app",
                "Main");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("  every rank started by: mpirun -np 2 --bind-to none <command>\n"), r.out());
        assertTrue(r.out().contains("  env JMPI_RANK_FROM=OMPI_COMM_WORLD_RANK,PMIX_RANK,PMI_RANK,SLURM_PROCID\n"),
                r.out());
        assertTrue(r.out().contains("  env JMPI_BIND=lo\n"), r.out());
        assertTrue(r.out().contains("  bind lo\n"), r.out());
    }

    @Test
    void insideASlurmAllocationRanksAreStartedWithSrun() {
        java.util.Map<String, String> alloc = java.util.Map.of("SLURM_JOB_ID", "12", "SLURM_NTASKS", "6",
                "SLURM_JOB_NODELIST", "localhost");
        Result r = runWith(alloc, "--dry-run", "-D", "hostAgents=off", "--tag-output", "--srun-args",
                "--ntasks-per-node=2", "-cp", "app", "Main");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("jmpirun: dry run: 6 ranks in 6 JVMs\n"), "-np defaults to SLURM_NTASKS: " + r.out());
        assertTrue(r.out().contains("  every rank started by: srun --kill-on-bad-exit=1 --mpi=none --export=ALL "
                + "--input=none --ntasks=6 --label --ntasks-per-node=2 <command>\n  env JMPI_RANK_FROM=SLURM_PROCID\n"),
                r.out());
        // inside a job step (srun ... jmpirun), or with --launcher local, the job stays on this machine
        java.util.Map<String, String> step = new java.util.HashMap<>(alloc);
        step.put("SLURM_STEP_ID", "0");
        // (not just "srun": the absolute class path may contain it, e.g. a work tree /work/wt-srun)
        assertFalse(runWith(step, "--dry-run", "-np", "2", "-cp", "app", "Main").out().contains("started by: srun"));
        assertFalse(runWith(alloc, "--dry-run", "-np", "2", "--launcher", "local", "-cp", "app", "Main").out()
                .contains("started by: srun"));
    }

    @Test
    void insideASlurmAllocationTheLaunchAgentsAreOneSrunTaskPerNode() {
        java.util.Map<String, String> alloc = java.util.Map.of("SLURM_JOB_ID", "12", "SLURM_NTASKS", "6",
                "SLURM_JOB_NODELIST", "n[1-3]", "SLURM_TASKS_PER_NODE", "2(x3)");
        Result r = runWith(alloc, "--dry-run", "-np", "5", "--srun-args", "--partition=p", "-cp", "app", "Main");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("  launch agents: srun --mpi=none --export=ALL --input=none --partition=p --nodes=3 "
                + "--ntasks=3 --ntasks-per-node=1 --nodelist=n1,n2,n3 --cpu-bind=none --whole --quiet java ... "
                + "io.jmpi.launch.SlurmAgent (one task per node; setting hostAgents)\n"), r.out());
        assertTrue(r.out().contains("  rank 3 on n2 local rank 1\n  rank 4 on n3 local rank 0\n"), r.out());
        // more ranks than the allocation has tasks: an error naming both numbers, as srun's
        Result over = runWith(alloc, "--dry-run", "-np", "7", "-cp", "app", "Main");
        assertEquals(ExitCodes.USAGE, over.code(), over.out());
        assertTrue(over.err().contains("-np 7 needs 7 slots but only 6"), over.err());
    }

    @Test
    void helpWrapsAtSpacesWithinItsWidthAndAlignsTheSettings() {
        String help = run("--help").out();
        for (String line : help.lines().toList()) {
            assertTrue(line.length() <= JmpiRun.HelpText.WIDTH, "longer than " + JmpiRun.HelpText.WIDTH + ": " + line);
        }
        assertTrue(help.contains("docs/CLUSTER.md"), "a path cut by the wrapping:\n" + help);
        // every setting's "default" column starts at the same place
        java.util.Set<Integer> columns = new java.util.HashSet<>();
        String settings = help.substring(help.indexOf("\nSettings ("), help.indexOf("\nExit codes:"));
        for (String line : settings.lines().toList()) {
            if (line.startsWith("  ") && !line.startsWith("   ")) columns.add(line.indexOf(" default "));
        }
        assertEquals(1, columns.size(), "setting columns at " + columns + ":\n" + help);
        assertEquals(java.util.List.of("ab cd", "   ef"), JmpiRun.HelpText.wrap("ab cd ef", 3, 6));
        assertEquals(java.util.List.of("  a/very/long.path", "   x"), JmpiRun.HelpText.wrap("  a/very/long.path x", 3, 6));
    }

    @Test
    void aMainClassNotOnTheClassPathIsSaidOnceBeforeAnyRankStarts(@TempDir Path dir) {
        Result r = run("-np", "3", "-cp", dir.toString(), "NoSuchMain");
        assertEquals(ExitCodes.CANNOT_LAUNCH, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err()); // one line for the job, not one per rank
        assertTrue(r.err().startsWith("jmpirun: main class NoSuchMain is not on the class path (-cp " + dir), r.err());
        assertTrue(r.err().contains("-cp must name the folder or jar that holds NoSuchMain.class"), r.err());
        Result file = run("-np", "2", "-cp", dir.toString(), "Pi.class");
        assertEquals(ExitCodes.CANNOT_LAUNCH, file.code(), file.err());
        assertTrue(file.err().contains("give the class's name, not its file: Pi"), file.err());
    }

    private static String command(String dryRunOutput) {
        return dryRunOutput.lines().filter(l -> l.startsWith("  command ")).findFirst().orElseThrow();
    }
}
