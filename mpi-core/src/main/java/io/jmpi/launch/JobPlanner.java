package io.jmpi.launch;

import io.jmpi.Config;
import io.jmpi.ErrorClass;
import io.jmpi.MpiException;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a parsed {@link JmpiRun} command line into a {@link JobSpec}: validates every value (naming the option, the
 * value and the allowed range, like the rest of jmpi), resolves the java executable and the class path, and
 * collects the settings forwarded to the ranks.
 */
final class JobPlanner {
    private final JmpiRun cli;

    JobPlanner(JmpiRun cli) {
        this.cli = cli;
    }

    JobSpec plan() {
        boolean listing = "list".equals(cli.example) || "list".equals(cli.bench);
        boolean hasMain = !cli.positional.isEmpty();
        if (cli.jar == null && cli.example == null && cli.bench == null && !hasMain) {
            throw usage("missing program: give -cp CP MAIN, -jar JAR, --example NAME or --bench NAME");
        }
        int np;
        if (listing) {
            np = 1; // a listing is one process's job, whatever -np says
        } else if (cli.np == null) {
            throw usage("missing -np N (number of ranks, [1, " + JmpiRun.MAX_NP + "])");
        } else {
            np = (int) number("-np", cli.np, 1, JmpiRun.MAX_NP);
        }
        long timeout = cli.timeout == null ? 0 : number("--timeout", cli.timeout, 1, JmpiRun.MAX_TIMEOUT);
        Map<String, String> settings = settings();
        String transport = Optional.ofNullable(settings.get(Config.TRANSPORT.envVar()))
                .orElse(System.getenv(Config.TRANSPORT.envVar()));
        boolean local = "local".equalsIgnoreCase(transport == null ? "" : transport.trim());
        return program(np, timeout, settings, local);
    }

    private JobSpec program(int np, long timeout, Map<String, String> settings, boolean local) {
        JmpiHome home = JmpiHome.locate();
        List<String> cp = new ArrayList<>();
        List<String> program = new ArrayList<>();
        if (cli.jar != null) {
            if (cli.classPath != null) {
                throw usage("-cp cannot be combined with -jar (java ignores it); put the class path in the jar's "
                        + "manifest, or use -cp CP MAIN");
            }
            if (!Files.isRegularFile(Path.of(cli.jar))) throw usage("-jar " + cli.jar + ": no such file");
            program.add("-jar");
            program.add(cli.jar);
            if (local) {
                cp.add(cli.jar); // the local job loads the jar's main itself, from its class path
                cp.addAll(home.coreClassPath());
            }
        } else {
            if (cli.classPath != null) cp.add(cli.classPath);
            if (cli.example != null) {
                cp.addAll(home.examplesClassPath());
                program.add(JmpiRun.EXAMPLES_MAIN);
                program.add(cli.example);
            } else if (cli.bench != null) {
                cp.addAll(home.benchClassPath());
                program.add(JmpiRun.BENCH_MAIN);
                program.add(cli.bench);
            } else {
                if (cli.classPath == null) cp.add("."); // java's own default when no class path is given
                cp.addAll(home.coreClassPath());
                program.add(cli.positional.get(0));
                program.addAll(cli.positional.subList(1, cli.positional.size()));
            }
        }
        program.addAll(cli.programArgs);
        String classPath = cp.isEmpty() ? null : String.join(File.pathSeparator, cp);
        return new JobSpec(np, java(), jvmArgs(), classPath, program, settings, local, cli.tagOutput, timeout);
    }

    /**
     * Settings for the ranks, as environment variables: the launcher's own {@code -Djmpi.<name>} system properties,
     * then {@code -D}/{@code --set} in order, then {@code --transport}. Each is validated here, so a typo fails
     * before any JVM starts.
     */
    private Map<String, String> settings() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Config.Setting<?> s : Config.all()) {
            String v = System.getProperty(s.property());
            if (v != null) put(env, s, v, "system property " + s.property() + "=" + v);
        }
        for (String item : cli.settings) {
            int eq = item.indexOf('=');
            if (eq <= 0) throw usage("-D " + item + ": expected name=value");
            String name = item.substring(0, eq).trim();
            Config.Setting<?> s = Config.all().stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow(() -> usage("-D " + item + ": unknown setting '" + name + "'; known: " + knownNames()));
            put(env, s, item.substring(eq + 1), "-D " + item);
        }
        if (cli.transport != null) put(env, Config.TRANSPORT, cli.transport, "--transport=" + cli.transport);
        return env;
    }

    private void put(Map<String, String> env, Config.Setting<?> s, String value, String what) {
        try {
            s.parse(value);
        } catch (MpiException e) {
            boolean notParsable = e.getMessage() != null && e.getMessage().contains("is not valid");
            throw usage(what + (notParsable ? " is not valid; allowed " : " out of range ") + s.range());
        }
        env.put(s.envVar(), value.trim());
    }

    private static String knownNames() {
        List<String> names = new ArrayList<>();
        for (Config.Setting<?> s : Config.all()) names.add(s.name());
        return String.join(", ", names);
    }

    /** {@code --java}, else {@code $JAVA_HOME/bin/java}, else the java running this launcher. */
    private String java() {
        if (cli.java != null) {
            Path p = Path.of(cli.java);
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw usage("--java=" + cli.java + " is not an executable file");
            }
            return cli.java;
        }
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            Path p = Path.of(javaHome, "bin", "java");
            if (Files.isExecutable(p)) return p.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    private List<String> jvmArgs() {
        List<String> args = new ArrayList<>();
        for (String group : cli.jvmArgs) {
            for (String a : group.trim().split("\\s+")) {
                if (!a.isEmpty()) args.add(a);
            }
        }
        return args;
    }

    private static long number(String option, String text, long min, long max) {
        long v;
        try {
            v = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw usage(option + "=" + text + " is not an integer; allowed [" + min + ", " + max + "]");
        }
        if (v < min || v > max) throw usage(option + "=" + text + " out of range [" + min + ", " + max + "]");
        return v;
    }

    private static MpiException usage(String message) {
        return new MpiException(ErrorClass.ARG, message);
    }
}
