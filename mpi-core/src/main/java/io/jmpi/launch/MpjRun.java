package io.jmpi.launch;

import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code bin/mpjrun.sh}: MPJ Express's command line ({@code mpjrun.sh -np 4 -dev multicore -cp . Hello}) run on jmpi
 * with the mpiJava 1.2 API ({@code jmpirun --api mpijava}), so that scripts written for MPJ Express keep working. The
 * options are translated to jmpirun's (see {@link #translate}); the job is then jmpirun's, with its exit codes.
 *
 * <ul>
 *   <li>{@code -dev multicore} (MPJ Express's default): {@code --transport local}, ranks as threads of one JVM, each
 *   with its own class loader, as in MPJ Express;</li>
 *   <li>{@code -dev niodev}: a JVM per rank over jmpi's default transport; {@code -dev hybdev}: the same with
 *   {@code --transport auto} (shared memory on a host, TCP between hosts: what hybdev combines);</li>
 *   <li>{@code -machinesfile F} (one host per line, which is also a valid jmpi hostfile):
 *   {@code --hostfile F --map-by node --oversubscribe}, ranks going round the machines in turn as many times as
 *   needed; ignored with multicore, as MPJ Express does;</li>
 *   <li>{@code -psl BYTES} (MPJ Express's protocol switch limit, where eager sends end): the eagerLimit setting;</li>
 *   <li>{@code -wdir DIR}: applied by the script, which changes to DIR before starting (a JVM cannot change its own
 *   working directory); accepted here;</li>
 *   <li>options that configure MPJ Express's daemons and devices ({@code -dport}, {@code -mpjport},
 *   {@code -mxboardnum}, {@code -headnodeip}): jmpi has no daemons; ignored with a note;</li>
 *   <li>JVM options ({@code -Xmx1g}, {@code -Dk=v}, {@code -ea}...): every rank's, as mpjrun passes them.</li>
 * </ul>
 */
public final class MpjRun {
    static final String SYNOPSIS = "mpjrun.sh [-np N] [-dev multicore|niodev|hybdev] [-machinesfile FILE] [-wdir DIR] "
            + "[-psl BYTES] [JVM options] (-cp CP CLASS | [-cp CP] CLASS | -jar JAR) [args...]";
    private static final Set<String> DAEMON_OPTIONS = Set.of("-dport", "-mpjport", "-mxboardnum", "-headnodeip");
    private static final List<String> JVM_PREFIXES = List.of("-X", "-D", "-ea", "-da", "-esa", "-dsa",
            "-enableassertions", "-disableassertions", "-enablesystemassertions", "-disablesystemassertions",
            "-verbose:", "-agentlib:", "-agentpath:", "-javaagent:", "-server", "-Xss", "--add-opens", "--add-exports",
            "--enable-preview", "--enable-native-access");

    private MpjRun() {
    }

    /** Entry point of {@code bin/mpjrun.sh}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /** Runs mpjrun.sh's command line in this JVM; the exit code is jmpirun's ({@link ExitCodes}). */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        List<String> jmpirun;
        try {
            jmpirun = translate(args, err, Runtime.getRuntime().availableProcessors());
            if (jmpirun == null) { // -h
                out.println("Usage: " + SYNOPSIS);
                out.println("Runs an MPJ Express program on jmpi: jmpirun --api mpijava (README.md, Coming from MPJ "
                        + "Express). -dev multicore (default): ranks as threads of one JVM; niodev: a JVM per rank; "
                        + "hybdev: the same, shared memory within a host. -np defaults to the number of cores.");
                return ExitCodes.OK;
            }
        } catch (MpiException e) {
            err.println("mpjrun.sh: " + e.getMessage());
            err.println("Usage: " + SYNOPSIS);
            err.println("jmpi runs it as: jmpirun --api mpijava ...; see 'jmpirun --help' and README.md (Coming from "
                    + "MPJ Express)");
            err.flush();
            return ExitCodes.USAGE;
        }
        return JmpiRun.run(jmpirun.toArray(new String[0]), out, err, env);
    }

    /**
     * jmpirun's arguments for an mpjrun command line.
     *
     * @param notes  where notes on ignored options go
     * @param cores  {@code -np}'s default, as MPJ Express's: the number of cores
     * @return the arguments, or null for {@code -h}
     * @throws MpiException ARG naming the option, its value and what is allowed
     */
    static List<String> translate(String[] args, PrintStream notes, int cores) {
        String np = Integer.toString(cores);
        String dev = "multicore";
        String machines = null;
        String classPath = null;
        String psl = null;
        List<String> jvm = new ArrayList<>();
        List<String> program = new ArrayList<>();
        int i = 0;
        for (; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-jar")) {
                if (i + 1 >= args.length) throw usage("option '-jar' needs a value (JAR)");
                if (classPath != null) {
                    throw usage("-cp cannot be combined with -jar (java ignores it); put the class path in the jar's "
                            + "manifest, or use -cp CP CLASS");
                }
                program.add("-jar");
                for (int k = i + 1; k < args.length; k++) program.add(args[k]);
                break;
            }
            if (!a.startsWith("-")) {
                for (int k = i; k < args.length; k++) program.add(args[k]);
                break;
            }
            switch (a) {
                case "-np" -> np = value(args, i++, "N");
                case "-dev" -> dev = value(args, i++, "DEVICE");
                case "-machinesfile" -> machines = value(args, i++, "FILE");
                case "-wdir" -> value(args, i++, "DIR"); // applied by bin/mpjrun.sh before this JVM started
                case "-cp", "-classpath" -> classPath = value(args, i++, "CP");
                case "-psl" -> psl = value(args, i++, "BYTES");
                case "-h", "-help", "--help" -> {
                    return null;
                }
                default -> {
                    if (DAEMON_OPTIONS.contains(a)) {
                        String v = value(args, i++, "VALUE");
                        notes.println("mpjrun.sh: ignoring " + a + " " + v + ": it configures MPJ Express's daemons "
                                + "and devices; jmpi has none");
                    } else if (a.equals("-src") || a.equals("-debug") || a.equals("-profile") || a.equals("-yarn")) {
                        throw usage(a + " is an MPJ Express option jmpi does not support (debug a rank with "
                                + "-agentlib:jdwp=..., a JVM option)");
                    } else if (isJvmOption(a)) {
                        if (a.chars().anyMatch(Character::isWhitespace)) {
                            throw usage("JVM option '" + a + "' contains white space; jmpirun --jvm-args splits at spaces");
                        }
                        jvm.add(a);
                    } else {
                        throw usage("unknown option '" + a + "'");
                    }
                }
            }
        }
        if (program.isEmpty()) throw usage("missing program: give CLASS or -jar JAR");
        List<String> out = new ArrayList<>(List.of("--api", "mpijava", "-np", np));
        switch (dev) {
            case "multicore" -> {
                out.add("--transport");
                out.add("local");
                if (machines != null) {
                    notes.println("mpjrun.sh: ignoring -machinesfile " + machines + ": -dev multicore runs every rank "
                            + "on this machine (as MPJ Express does)");
                }
            }
            case "niodev", "hybdev" -> {
                if (dev.equals("hybdev")) {
                    out.add("--transport");
                    out.add("auto");
                }
                if (machines != null) {
                    out.addAll(List.of("--hostfile", machines, "--map-by", "node", "--oversubscribe"));
                }
            }
            default -> throw usage("-dev=" + dev + " is not valid; allowed multicore, niodev, hybdev");
        }
        if (psl != null) {
            try {
                Config.EAGER_LIMIT.parse(psl);
            } catch (MpiException e) {
                throw usage("-psl=" + psl + " out of range " + Config.EAGER_LIMIT.range() + " (bytes)");
            }
            out.add("-D");
            out.add(Config.EAGER_LIMIT.name() + "=" + psl.trim());
        }
        for (String j : jvm) out.add("--jvm-args=" + j);
        if (classPath != null && !program.get(0).equals("-jar")) {
            out.add("-cp");
            out.add(classPath);
        }
        out.addAll(program);
        return out;
    }

    private static boolean isJvmOption(String a) {
        for (String p : JVM_PREFIXES) {
            if (a.startsWith(p)) return true;
        }
        return false;
    }

    private static String value(String[] args, int at, String label) {
        if (at + 1 >= args.length) throw usage("option '" + args[at] + "' needs a value (" + label + ")");
        return args[at + 1];
    }

    private static MpiException usage(String message) {
        return new MpiException(ErrorClass.ARG, message);
    }
}
