package io.jmpi.launch;

import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * {@code jmpirun --backend mpj}: runs a jmpi program on MPJ Express's runtime (see docs/MPJ.md). This class decides
 * what to start ({@link Plan}); {@link MpjJob} starts it and supervises it. Nothing here touches MPJ Express's
 * classes: it only starts processes, so mpi-core keeps running without MPJ Express.
 *
 * <ul>
 *   <li>{@code --mpj-dev multicore} (default, as MPJ Express's own): one JVM runs every rank as a thread, started
 *   directly with MPJ Express's {@code MulticoreStarter} (what {@code mpjrun -dev multicore} runs in a second JVM),
 *   which saves a JVM start and mpjrun's reading of the program's arguments as its own options.</li>
 *   <li>{@code --mpj-dev niodev}: one JVM per rank, started by an MPJ Express daemon that this launcher starts for
 *   the job (ports of its own, in a private copy of the MPJ_HOME configuration) and stops at the end, and
 *   {@code mpjrun}, which has no substitute in MPJ Express 0.44.</li>
 * </ul>
 * Every rank starts in {@code io.jmpi.mpj.MpjMain} (module mpi-mpj), which initialises MPJ Express and calls the
 * program's main with its own arguments ({@link MpjProtocol}).
 */
final class MpjLauncher {
    static final String BACKEND = "mpj";
    static final String MULTICORE = "multicore";
    static final String NIODEV = "niodev";
    static final String RANK_MAIN = "io.jmpi.mpj.MpjMain";
    static final String MULTICORE_STARTER = "runtime.starter.MulticoreStarter";
    /** MPJ Express's jars that MulticoreStarter needs on the system class path (mpjrun's own list). */
    static final List<String> MULTICORE_JARS = List.of("smpdev.jar", "xdev.jar", "mpjbuf.jar", "loader2.jar",
            "starter.jar", "mpiExp.jar");
    /** mpjrun's own options: it takes them from anywhere in its command line, so rank JVM options must not be one. */
    static final Set<String> MPJRUN_OPTIONS = Set.of("-np", "-dev", "-machinesfile", "-dport", "-cp", "-classpath",
            "-jar", "-wdir", "-psl", "-src", "-debug", "-profile", "-mxboardnum", "-h", "-help", "-yarn", "-headnodeip",
            "-hdfsFolder", "-amMem", "-amCores", "-containerMem", "-containerCores", "-yarnQueue", "-appName",
            "-amPriority", "-debugYarn", "-port");

    /**
     * What a job under MPJ Express runs.
     *
     * @param device       {@link #MULTICORE} or {@link #NIODEV}
     * @param np           number of ranks
     * @param mpjHome      a working MPJ_HOME
     * @param java         java of every JVM (ranks, daemon, mpjrun)
     * @param rankJvmArgs  JVM options of the ranks: the user's, then jmpi's settings as {@code -Djmpi.<name>=value}
     * @param rankClassPath the ranks' class path: program, jmpi core, the mpi-mpj backend (absolute, no wildcards)
     * @param program      main class, then the program's arguments
     * @param workDir      the ranks' working directory (the launcher's)
     * @param timeoutSeconds 0 for none
     */
    record Plan(String device, int np, Path mpjHome, String java, List<String> rankJvmArgs, List<String> rankClassPath,
                List<String> program, Path workDir, long timeoutSeconds) {
        Plan {
            rankJvmArgs = List.copyOf(rankJvmArgs);
            rankClassPath = List.copyOf(rankClassPath);
            program = List.copyOf(program);
        }

        String classPath() {
            return String.join(File.pathSeparator, rankClassPath);
        }

        /** The multicore job's one JVM. */
        List<String> multicoreCommand(String jobHex) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.add("-D" + JobSpec.JOB_PROPERTY + "=" + jobHex);
            cmd.addAll(rankJvmArgs);
            cmd.add("-cp");
            List<String> starter = new ArrayList<>();
            for (String jar : MULTICORE_JARS) starter.add(mpjHome.resolve("lib").resolve(jar).toString());
            cmd.add(String.join(File.pathSeparator, starter));
            cmd.add(MULTICORE_STARTER);
            cmd.add(workDir.toString());
            cmd.add(Integer.toString(np));
            cmd.add("smpdev");
            cmd.add("useLocalLoader");
            cmd.add(classPath());
            cmd.add(RANK_MAIN);
            cmd.add(MpjProtocol.encodeProgram(program)); // as for niodev: immune to the platform's argv charset
            return cmd;
        }

        /** The niodev daemon of a local job: {@code home} is the job's private MPJ_HOME. */
        List<String> daemonCommand(Path home, Path daemonHome, int port, String jobHex) {
            return List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-D" + JobSpec.JOB_PROPERTY + "=" + jobHex,
                    "-Duser.home=" + daemonHome,
                    "-cp", home.resolve("lib/daemon.jar").toString(), "runtime.daemon.MPJDaemon", Integer.toString(port));
        }

        /** mpjrun of a niodev job. */
        List<String> mpjrunCommand(Path home, Path machines, int daemonPort, String jobHex) {
            List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
                    home.resolve("lib/starter.jar").toString(), "-np", Integer.toString(np), "-dev", NIODEV,
                    "-machinesfile", machines.toString(), "-dport", Integer.toString(daemonPort),
                    "-wdir", workDir.toString()));
            cmd.add("-D" + JobSpec.JOB_PROPERTY + "=" + jobHex);
            cmd.addAll(rankJvmArgs); // options before -cp are the rank JVMs'
            cmd.add("-cp");
            cmd.add(classPath());
            cmd.add(RANK_MAIN);
            cmd.add(MpjProtocol.encodeProgram(program)); // one token that mpjrun can neither parse nor split
            return cmd;
        }
    }

    private MpjLauncher() {
    }

    /** Checks {@code --backend} and {@code --mpj-dev}; true when the job runs on MPJ Express. */
    static boolean selected(String backend, String device) {
        if (backend == null || backend.equals("jmpi")) {
            if (device != null) throw usage("--mpj-dev needs --backend mpj");
            return false;
        }
        if (!backend.equals(BACKEND)) throw usage("--backend=" + backend + " is not valid; allowed [jmpi, mpj]");
        if (device != null && !device.equals(MULTICORE) && !device.equals(NIODEV)) {
            throw usage("--mpj-dev=" + device + " is not valid; allowed [multicore, niodev]");
        }
        return true;
    }

    /**
     * Runs the job (or, with {@code dryRun}, prints it) and returns jmpirun's exit code.
     *
     * @param transportOption the {@code --transport} given, or null
     */
    static int run(JobSpec spec, String device, String transportOption, boolean dryRun, OutputForwarder output,
                   Map<String, String> env) {
        if (transportOption != null) {
            throw usage("--transport cannot be combined with --backend mpj: MPJ Express carries the frames (use "
                    + "--mpj-dev multicore for ranks as threads of one JVM, niodev for a JVM per rank)");
        }
        if (spec.launch() != null && spec.launch().mode() != Launch.Mode.LOCAL) {
            throw usage("--backend mpj runs jobs on this machine (in a Slurm allocation add --launcher local); on a cluster "
                    + "start MPJ Express's daemons with mpjboot "
                    + "and run mpjrun (see docs/MPJ.md)");
        }
        if (spec.tagOutput()) output.message("--tag-output is ignored with --backend mpj (MPJ Express merges the ranks' output)");
        JmpiHome home = JmpiHome.locate();
        Path mpjHome = MpjHome.resolve(env, home.home(), MpjHome.DEBIAN_LIB);
        Plan plan = plan(spec, device == null ? MULTICORE : device, mpjHome, home);
        if (dryRun) {
            printDryRun(output.out(), plan);
            return ExitCodes.OK;
        }
        return new MpjJob(plan, output, env).run();
    }

    static Plan plan(JobSpec spec, String device, Path mpjHome, JmpiHome home) {
        Path backendJar = JmpiHome.newestJar(home.home().resolve("mpi-mpj/target"), "mpi-mpj-");
        if (backendJar == null) {
            throw new MpiException(ErrorClass.STATE, "--backend mpj: the MPJ Express backend is not built (no mpi-mpj/target/"
                    + "mpi-mpj-*.jar under " + home.home() + "): build it: (cd " + home.home() + " && mvn -q -DskipTests "
                    + "-pl mpi-mpj -am package" + (mpjHome.startsWith(home.home()) ? "" : " -Dmpj.home=" + mpjHome) + ")");
        }
        List<String> program = new ArrayList<>(spec.program());
        List<String> cp = new ArrayList<>();
        if (!program.isEmpty() && program.get(0).equals("-jar")) {
            String jar = program.get(1);
            program.subList(0, 2).clear();
            program.add(0, mainClassOf(jar));
            cp.add(jar); // its manifest Class-Path is followed by the ranks' class loader
            cp.addAll(home.coreClassPath());
        } else if (spec.classPath() != null) {
            for (String e : spec.classPath().split(File.pathSeparator)) if (!e.isEmpty()) cp.add(e);
        }
        cp.add(backendJar.toString());
        List<String> jvmArgs = new ArrayList<>(spec.jvmArgs());
        for (Config.Setting<?> s : Config.all()) {
            String v = spec.settings().get(s.envVar());
            if (v != null) jvmArgs.add("-D" + s.property() + "=" + v);
        }
        if (device.equals(NIODEV)) checkRankJvmArgs(jvmArgs);
        Path cwd = Path.of("").toAbsolutePath();
        return new Plan(device, spec.np(), mpjHome, spec.java(), jvmArgs, expand(cp, cwd), program, cwd, spec.timeoutSeconds());
    }

    /** niodev: rank JVM options pass through mpjrun's command line, where its own options must not appear. */
    static void checkRankJvmArgs(List<String> jvmArgs) {
        for (String a : jvmArgs) {
            if (MPJRUN_OPTIONS.contains(a)) {
                throw usage("--jvm-args " + a + ": MPJ Express's mpjrun would take it as its own option");
            }
        }
    }

    /** Absolute entries, and {@code dir/*} expanded to its jars: MPJ Express's class loaders know no wildcards. */
    static List<String> expand(List<String> cp, Path cwd) {
        List<String> out = new ArrayList<>();
        for (String e : cp) {
            if (e.equals("*") || e.endsWith(File.separator + "*")) {
                Path dir = cwd.resolve(e.substring(0, e.length() - 1)).normalize();
                List<String> jars = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.{jar,JAR}")) {
                    for (Path p : ds) jars.add(p.toString());
                } catch (IOException ex) {
                    // a missing directory adds nothing, as for java itself
                }
                jars.sort(null);
                for (String j : jars) if (!out.contains(j)) out.add(j);
            } else {
                String abs = cwd.resolve(e).normalize().toString();
                if (!out.contains(abs)) out.add(abs);
            }
        }
        return out;
    }

    private static String mainClassOf(String jar) {
        try (JarFile f = new JarFile(jar)) {
            String main = f.getManifest() == null ? null : f.getManifest().getMainAttributes().getValue("Main-Class");
            if (main == null || main.isBlank()) throw usage("-jar " + jar + ": its manifest names no Main-Class");
            return main.trim();
        } catch (IOException e) {
            throw usage("-jar " + jar + ": cannot read it: " + e.getMessage());
        }
    }

    static void printDryRun(PrintStream out, Plan plan) {
        out.println("jmpirun: dry run: " + plan.np() + " rank" + (plan.np() == 1 ? "" : "s") + " on MPJ Express ("
                + plan.device() + (plan.device().equals(MULTICORE) ? ": one JVM, ranks as threads" : ": one JVM per rank")
                + "), MPJ_HOME=" + plan.mpjHome());
        if (plan.device().equals(MULTICORE)) {
            out.println("  command " + String.join(" ", plan.multicoreCommand("<job>")));
        } else {
            Path job = Path.of("<jobdir>");
            out.println("  daemon  " + String.join(" ", plan.daemonCommand(job.resolve("mpj-home"), job.resolve("daemon-home"),
                    0, "<job>")).replaceAll(" 0$", " <port>") + "   (PATH=<jobdir>/bin:$PATH, own ports in <jobdir>/mpj-home/conf)");
            out.println("  mpjrun  " + String.join(" ", plan.mpjrunCommand(job.resolve("mpj-home"), job.resolve("machines"),
                    0, "<job>")).replace("-dport 0", "-dport <port>"));
        }
        out.println("  program " + String.join(" ", plan.program()) + "   (passed as one " + MpjProtocol.PROGRAM_PREFIX
                + " token, decoded by " + RANK_MAIN + ")");
        if (plan.timeoutSeconds() > 0) out.println("  timeout " + plan.timeoutSeconds() + " s");
    }

    private static MpiException usage(String message) {
        return new MpiException(ErrorClass.ARG, message);
    }
}
