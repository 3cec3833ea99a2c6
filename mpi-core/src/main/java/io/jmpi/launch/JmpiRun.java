package io.jmpi.launch;

import io.jmpi.base.Config;
import io.jmpi.base.MpiException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Stack;
import java.util.concurrent.Callable;

/**
 * {@code jmpirun}: starts N ranks of a jmpi program and supervises them to the end (see docs/BOOTSTRAP.md for what a
 * rank receives, docs/CLUSTER.md for the launch modes): on this machine, on hosts of a hostfile over ssh, with srun
 * inside a Slurm allocation, or through another launcher's command ({@code --wrap mpirun ...}). The command line is
 * parsed here; the job is run by {@link JobRunner}. Tests run it in-process through
 * {@link #run(String[], PrintStream, PrintStream)}.
 *
 * <p>Everything after the program ({@code MAIN}, {@code -jar JAR}, {@code --example NAME}, {@code --bench NAME})
 * belongs to the program, even when it looks like a jmpirun option.
 */
@Command(name = "jmpirun", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = JmpiRun.HelpText.WIDTH,
        versionProvider = JmpiRun.Version.class, customSynopsis = JmpiRun.SYNOPSIS,
        description = {"Runs N ranks of a jmpi program, each in its own JVM (or, with --transport local, as threads of "
                + "one JVM), forwards their output, and ends the whole job when any rank fails. Ranks run on this machine, "
                + "on the hosts of --hostfile/--host (over ssh; hosts that are this machine are started directly), with "
                + "srun when jmpirun runs inside a Slurm allocation, or through the command given to --wrap "
                + "(e.g. Open MPI's mpirun).",
                "Across machines: docs/CLUSTER.md; settings: docs/SETTINGS.md; hangs: docs/RELIABILITY.md.", ""},
        parameterListHeading = "Program:%n", optionListHeading = "%nOptions:%n")
public final class JmpiRun implements Callable<Integer> {
    static final String SYNOPSIS =
            "jmpirun -np N [options] (-cp CP MAIN | -jar JAR | --example NAME | --bench NAME) [args...]";
    static final String EXAMPLES_MAIN = "io.jmpi.examples.Examples";
    static final String BENCH_MAIN = "io.jmpi.bench.Osu";
    static final int MAX_NP = 4096;
    static final long MAX_TIMEOUT = 30L * 24 * 3600;

    @Option(names = {"-np", "-n"}, paramLabel = "N", description = "number of ranks, [1, " + MAX_NP + "]")
    String np;

    @Option(names = {"-cp", "--class-path", "-classpath"}, paramLabel = "CP",
            description = "class path of the program (jmpi itself is added); with MAIN, or extra for --example/--bench")
    String classPath;

    @Option(names = "-jar", paramLabel = "JAR", parameterConsumer = ProgramConsumer.class,
            description = "run the jar's Main-Class; the remaining arguments are the program's")
    String jar;

    @Option(names = "--example", paramLabel = "NAME", parameterConsumer = ProgramConsumer.class,
            description = "run a bundled example (" + EXAMPLES_MAIN + " NAME args); '--example list' lists them")
    String example;

    @Option(names = "--bench", paramLabel = "NAME", parameterConsumer = ProgramConsumer.class,
            description = "run a bundled benchmark (" + BENCH_MAIN + " NAME args); '--bench list' lists them")
    String bench;

    @Option(names = "--api", paramLabel = "NAME",
            description = "the mpi API on the ranks' class path: native (jmpi's io.jmpi), mpijava (mpiJava 1.2, as MPJ "
                    + "Express) or openmpi (Open MPI's Java API); default: the one the program's classes use, else native")
    String api;

    @Option(names = {"--verbose", "-v"}, description = "say what jmpirun decided (e.g. which --api) before starting")
    boolean verbose;

    @Option(names = "--tag-output", description = "prefix each line of output with [rank]")
    boolean tagOutput;

    @Option(names = "--shared-statics", description = "with --transport local: load the program once, so its ranks "
            + "share its static fields (default: each rank thread loads the program in a class loader of its own)")
    boolean sharedStatics;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "end the job after this many seconds, exit code " + ExitCodes.TIMEOUT + "; [1, " + MAX_TIMEOUT + "]")
    String timeout;

    @Option(names = "--diagnose-after", paramLabel = "SECONDS",
            description = "if the job still runs after this many seconds, print what every rank is blocked in and what "
                    + "is pending (also on --timeout; at any moment: jmpirun --diagnose PID); [1, " + MAX_TIMEOUT + "]")
    String diagnoseAfter;

    @Option(names = "--diagnose", paramLabel = "PID",
            description = "print the hang diagnosis of the running jmpirun with this process id (yours), then exit")
    String diagnosePid;

    @Option(names = "--transport", paramLabel = "KIND",
            description = "auto, tcp, shm or local (all ranks as threads of one JVM); sets the transport setting")
    String transport;

    @Option(names = "--tls",
            description = "TLS 1.3 on the TCP connections between ranks (sets tls=true): give -D tlsKeystore=PKCS12 "
                    + "and the password in the environment variable JMPI_TLS_PASSWORD (docs/PROTOCOL.md)")
    boolean tls;

    @Option(names = "--trace", paramLabel = "FILE",
            description = "record every MPI operation and message of every rank; at the end write FILE (Chrome Trace "
                    + "Event JSON: Perfetto, chrome://tracing) and FILE's .html timeline (docs/TOOLS.md)")
    Path trace;

    @Option(names = "--profile", description = "print an mpiP-style profile at the end (per operation and rank: count, "
            + "time, bytes; time in MPI; top call sites) and write CSVs and a heat map PNG into --profile-dir")
    boolean profile;

    @Option(names = "--profile-dir", paramLabel = "DIR", description = "where --profile writes its files (default .)")
    Path profileDir;

    @Option(names = "--check", description = "run-time correctness checks (sets check=true): send buffers changed "
            + "while sending, requests never completed, collectives called differently by the ranks, unmatched messages")
    boolean check;

    @Option(names = "--explore", paramLabel = "N", description = "run the job up to N times, each with another "
            + "(MPI-legal) order of ANY_SOURCE matches, stop at the first run whose output or exit code differs and print "
            + "the --seed that replays it; [1, 100000]")
    Integer explore;

    @Option(names = "--seed", paramLabel = "S", description = "first seed of --explore (default 1); run i uses S + i")
    Integer seed;

    /** The folder the ranks record into (set when --trace or --profile is given). */
    Path traceDir;

    @Option(names = {"-D", "--set"}, paramLabel = "name=value",
            description = "a jmpi setting for every rank (see Settings below); repeatable")
    List<String> settings = new ArrayList<>();

    @Option(names = "--java", paramLabel = "PATH",
            description = "java executable of the ranks; default $JAVA_HOME/bin/java, else the launcher's own java")
    String java;

    @Option(names = "--jvm-args", paramLabel = "\"ARGS\"",
            description = "extra JVM options of every rank, split at spaces (--jvm-args=\"-Xmx2g -ea\"); repeatable")
    List<String> jvmArgs = new ArrayList<>();

    @Option(names = "--dry-run", description = "print what would be started (never the secret) and exit")
    boolean dryRun;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "jmpi (default) or mpj: run on MPJ Express's runtime and devices (docs/MPJ.md)")
    String backend;

    @Option(names = "--mpj-dev", paramLabel = "DEV",
            description = "with --backend mpj: multicore (default; ranks as threads of one JVM) or niodev (a JVM per rank)")
    String mpjDev;

    @Option(names = {"--hostfile", "-hostfile", "--machinefile"}, paramLabel = "FILE",
            description = "hosts to run on, Open MPI syntax: one 'host slots=K' per line, # comments")
    String hostfile;

    @Option(names = {"--host", "-H"}, paramLabel = "HOST[:K],...",
            description = "hosts to run on, each with K slots (default 1), e.g. h1:2,h2:2")
    String hosts;

    @Option(names = "--map-by", paramLabel = "slot|node",
            description = "placement on the hosts: slot (default: fill each host's slots in turn) or node (round-robin)")
    String mapBy;

    @Option(names = {"--oversubscribe", "-oversubscribe"}, description = "allow more ranks than the hosts have slots")
    boolean oversubscribe;

    @Option(names = {"--launch-agent", "-launch-agent"}, paramLabel = "\"CMD\"",
            description = "command that starts ranks on other hosts, split at spaces (default: ssh), e.g. \"ssh -F cfg\"")
    String launchAgent;

    @Option(names = "--bind", paramLabel = "ADDR|CIDR",
            description = "address or network (10.0.0.0/24) of the interface the launcher listens on and ranks bind and"
                    + " advertise, on multi-homed hosts; sets the bind setting")
    String bind;

    @Option(names = "--iface", paramLabel = "NAME",
            description = "as --bind, by interface name (eth1, ib0); the name must be the same on every host")
    String iface;

    @Option(names = "--launcher", paramLabel = "KIND",
            description = "auto (default: ssh with hosts, slurm inside an allocation, else local), local, ssh or slurm")
    String launcher;

    @Option(names = "--srun-args", paramLabel = "\"ARGS\"",
            description = "extra srun options in an allocation, split at spaces (e.g. \"--ntasks-per-node=2\"); repeatable")
    List<String> srunArgs = new ArrayList<>();

    @Option(names = "--wrap", paramLabel = "\"CMD ARGS\"",
            description = "start the ranks with this command, split at spaces, followed by each rank's java command "
                    + "(e.g. \"mpirun -np 4 --hostfile hf --bind-to none\"); it must start -np copies")
    String wrap;

    @Option(names = "--rank-var", paramLabel = "NAME[,NAME...]",
            description = "with --wrap: the variables holding each rank's number (default "
                    + JobPlanner.DEFAULT_RANK_VARS + ")")
    String rankVar;

    @Parameters(paramLabel = "MAIN", description = "main class of the program, then its arguments")
    List<String> positional = new ArrayList<>();

    /** Arguments after {@code -jar JAR}, {@code --example NAME} or {@code --bench NAME}. */
    final List<String> programArgs = new ArrayList<>();

    private final PrintStream out;
    private final PrintStream err;
    /** The launcher's environment: decides the launch mode (a Slurm allocation) and is what the ranks inherit. */
    private final java.util.Map<String, String> env;

    private JmpiRun(PrintStream out, PrintStream err, java.util.Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /**
     * Runs jmpirun in this JVM, writing the job's output and the launcher's messages to {@code out} and {@code err}.
     *
     * @return the exit code ({@link ExitCodes})
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System.getenv());
    }

    /** As {@link #run(String[], PrintStream, PrintStream)}, with an explicit environment (tests). */
    static int run(String[] args, PrintStream out, PrintStream err, java.util.Map<String, String> env) {
        CommandLine cl = new CommandLine(new JmpiRun(out, err, env));
        cl.setStopAtPositional(true);
        // --jvm-args=-Dx=y: a value may look like one of our options; a bad one is caught by validation instead
        cl.setAllowOptionsAsOptionParameters(true);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        // the footer (every setting, formatted) costs tens of ms of a launch that is not asking for help
        if (wantsHelp(args, cl.getCommandSpec())) cl.getCommandSpec().usageMessage().footer(HelpText.footer());
        cl.setParameterExceptionHandler((ex, a) -> usageError(err, describe(ex)));
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof ApiChoice.Mismatch) {
                err.println("jmpirun: " + ex.getMessage());
                return ExitCodes.WRONG_API;
            }
            if (ex instanceof MpiException) {
                MpiException m = (MpiException) ex;
                if (ExitCodes.forError(m) == ExitCodes.USAGE) return usageError(err, m.getMessage());
                err.println("jmpirun: " + m.getMessage());
                return ExitCodes.forError(m);
            }
            throw ex;
        });
        return cl.execute(args);
    }

    /**
     * Whether the command line asks for the usage text: {@code -h} or {@code --help} among jmpirun's own options, that
     * is before the first positional argument (the program), skipping option values.
     */
    static boolean wantsHelp(String[] args, picocli.CommandLine.Model.CommandSpec spec) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) return true;
            if (a.equals("--") || !a.startsWith("-")) return false; // the program and its own arguments
            int eq = a.indexOf('=');
            picocli.CommandLine.Model.OptionSpec o = spec.findOption(eq < 0 ? a : a.substring(0, eq));
            if (o != null && eq < 0 && o.arity().min() > 0) i++; // its value follows
        }
        return false;
    }

    /** Entry point of {@code bin/jmpirun}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    @Override
    public Integer call() {
        if (diagnosePid != null) {
            return ControlSocket.ask(JobPlanner.number("--diagnose", diagnosePid, 1, Long.MAX_VALUE), out, err);
        }
        boolean mpj = MpjLauncher.selected(backend, mpjDev);
        if (explore != null) {
            if (explore < 1 || explore > 100_000) {
                throw new io.jmpi.base.MpiException(io.jmpi.base.ErrorClass.ARG, "--explore " + explore + " out of range [1, 100000]");
            }
            int s = seed == null ? 1 : seed;
            if (s < 0 || (long) s + explore > Integer.MAX_VALUE) {
                throw new io.jmpi.base.MpiException(io.jmpi.base.ErrorClass.ARG, "--seed " + s + " out of range [0, "
                        + (Integer.MAX_VALUE - explore) + "]");
            }
            return Explore.run(this, explore, s, env, out, err);
        }
        if ((trace != null || profile) && mpj) {
            throw new io.jmpi.base.MpiException(io.jmpi.base.ErrorClass.ARG, "--trace/--profile: not available with --backend mpj");
        }
        if (trace != null || profile) traceDir = Reports.recordingFolder(trace, !dryRun);
        JobSpec job = new JobPlanner(this, env).plan();
        if (mpj) return MpjLauncher.run(job, mpjDev, transport, dryRun, new OutputForwarder(out, err), env);
        if (dryRun) {
            DryRun.print(out, job, env);
            return ExitCodes.OK;
        }
        int code = new JobRunner(job, new OutputForwarder(out, err), env).run();
        if (traceDir != null) Reports.write(traceDir, trace, profile ? (profileDir == null ? Path.of(".") : profileDir) : null, out, err);
        return code;
    }

    /** Where {@code --verbose} messages go; null without it. */
    PrintStream verboseStream() {
        return verbose ? err : null;
    }

    private static int usageError(PrintStream err, String message) {
        err.println("jmpirun: " + message);
        err.println("Usage: " + SYNOPSIS);
        err.println("Try 'jmpirun --help' for more information.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** One short line for picocli's own parse errors, in the house style. */
    static String describe(ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException) {
            List<String> unmatched = ((CommandLine.UnmatchedArgumentException) ex).getUnmatched();
            if (!unmatched.isEmpty()) {
                String u = unmatched.get(0);
                return (u.startsWith("-") ? "unknown option '" : "unexpected argument '") + u + "'";
            }
        }
        if (ex instanceof CommandLine.MissingParameterException) {
            List<ArgSpec> missing = ((CommandLine.MissingParameterException) ex).getMissing();
            if (!missing.isEmpty() && missing.get(0) instanceof OptionSpec) {
                OptionSpec o = (OptionSpec) missing.get(0);
                return "option '" + o.names()[0] + "' needs a value (" + o.paramLabel() + ")";
            }
        }
        String m = ex.getMessage() == null ? ex.toString() : ex.getMessage();
        return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }

    /**
     * Takes the value of {@code -jar}, {@code --example} or {@code --bench}, then every remaining argument as the
     * program's own: after the program is named, nothing is a jmpirun option any more.
     */
    static final class ProgramConsumer implements CommandLine.IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            OptionSpec option = (OptionSpec) argSpec;
            if (args.isEmpty()) {
                throw new CommandLine.MissingParameterException(commandSpec.commandLine(), argSpec,
                        "option '" + option.names()[0] + "' needs a value (" + option.paramLabel() + ")");
            }
            argSpec.setValue(args.pop());
            JmpiRun cmd = commandSpec.commandLine().getCommand();
            while (!args.isEmpty()) cmd.programArgs.add(args.pop());
        }
    }

    /** {@code --version}: this build's version (from the jar's Maven metadata) and the running Java. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jmpirun " + version(),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")"};
        }

        static String version() {
            try (InputStream in = JmpiRun.class.getResourceAsStream("/META-INF/maven/io.jmpi/mpi-core/pom.properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    String v = p.getProperty("version");
                    if (v != null) return v;
                }
            } catch (IOException e) {
                // fall through
            }
            String v = JmpiRun.class.getPackage().getImplementationVersion();
            return v != null ? v : "(development build, " + JmpiHome.locate().home() + ")";
        }
    }

    /** The parts of {@code --help} that picocli cannot generate: settings, exit codes. */
    static final class HelpText {
        private HelpText() {
        }

        /** The width of the usage text (picocli's usageHelpWidth). */
        static final int WIDTH = 110;

        private static String shownDefault(Config.Setting<?> s) {
            String d = String.valueOf(s.defaultValue());
            return d.isEmpty() ? "(empty)" : d;
        }

        /** A format string's literal text: picocli formats the footer. */
        private static String escape(String text) {
            return text.replace("%", "%%");
        }

        /**
         * {@code text} broken into lines of at most {@code width} characters at spaces only (a path or a name is never
         * cut), continuation lines indented by {@code indent}; a word longer than a line stays whole.
         */
        static List<String> wrap(String text, int indent, int width) {
            List<String> lines = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            int lead = 0;
            while (lead < text.length() && text.charAt(lead) == ' ') lead++;
            line.append(text, 0, lead);
            boolean empty = true;
            for (String word : text.substring(lead).split(" +")) {
                if (!empty && line.length() + 1 + word.length() > width) {
                    lines.add(line.toString());
                    line.setLength(0);
                    line.append(" ".repeat(indent));
                    empty = true;
                }
                if (!empty) line.append(' ');
                line.append(word);
                empty = false;
            }
            lines.add(line.toString());
            return lines;
        }

        static String footer() {
            StringBuilder sb = new StringBuilder("%nSettings (-D name=value; a rank also reads JMPI_<NAME> from its "
                    + "environment or -Djmpi.<name>):%n");
            int nameWidth = 0, defaultWidth = 0;
            for (Config.Setting<?> s : Config.all()) {
                nameWidth = Math.max(nameWidth, s.name().length());
                defaultWidth = Math.max(defaultWidth, shownDefault(s).length());
            }
            String row = "  %-" + nameWidth + "s default %-" + defaultWidth + "s %s";
            for (Config.Setting<?> s : Config.all()) {
                String head = String.format(Locale.ROOT, row, s.name(), shownDefault(s), s.range());
                sb.append(escape(head)).append("%n"); // short: a name, a number, a range
                for (String line : wrap("      " + s.description(), 6, WIDTH)) sb.append(escape(line)).append("%n");
            }
            sb.append("%nExit codes:%n")
                    .append("  ").append(ExitCodes.OK).append("    every rank exited 0%n")
                    .append("  ").append(ExitCodes.RANK_FAILED).append("    a rank failed without an exit code of its own;"
                            + " else the failed rank's exit code%n")
                    .append("  ").append(ExitCodes.USAGE).append("    bad command line%n")
                    .append("  ").append(ExitCodes.WRONG_API).append("    the program needs another --api (it was "
                            + "compiled against another mpi API)%n")
                    .append("  ").append(ExitCodes.TIMEOUT).append("  --timeout passed%n")
                    .append("  ").append(ExitCodes.CANNOT_LAUNCH).append("  the job could not be started%n")
                    .append("  ").append(ExitCodes.INTERRUPTED).append("  interrupted (a signal: 128 + its number)%n")
                    .append("  the code given to abort, when a rank called abort%n");
            return sb.toString();
        }
    }
}
