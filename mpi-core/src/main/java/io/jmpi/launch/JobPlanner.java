package io.jmpi.launch;

import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

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
    /** Where a rank started by {@code --wrap} finds its number, first set wins (Open MPI, PMIx, PMI, Slurm). */
    static final String DEFAULT_RANK_VARS = "OMPI_COMM_WORLD_RANK,PMIX_RANK,PMI_RANK,SLURM_PROCID";
    static final String DEFAULT_LOCAL_RANK_VARS = "OMPI_COMM_WORLD_LOCAL_RANK,MPI_LOCALRANKID,SLURM_LOCALID";

    private final JmpiRun cli;
    private final Map<String, String> env;

    JobPlanner(JmpiRun cli, Map<String, String> env) {
        this.cli = cli;
        this.env = env;
    }

    JobSpec plan() {
        boolean listing = "list".equals(cli.example) || "list".equals(cli.bench);
        boolean hasMain = !cli.positional.isEmpty();
        if (cli.jar == null && cli.example == null && cli.bench == null && !hasMain) {
            throw usage("missing program: give -cp CP MAIN, -jar JAR, --example NAME or --bench NAME");
        }
        Launch.Mode mode = listing ? Launch.Mode.LOCAL : mode();
        int np;
        if (listing) {
            np = 1; // a listing is one process's job, whatever -np says
        } else if (cli.np == null && mode == Launch.Mode.SLURM && allocationTasks() > 0) {
            np = allocationTasks(); // like srun: as many ranks as the allocation has tasks
        } else if (cli.np == null) {
            throw usage("missing -np N (number of ranks, [1, " + JmpiRun.MAX_NP + "])");
        } else {
            np = (int) number("-np", cli.np, 1, JmpiRun.MAX_NP);
        }
        long timeout = cli.timeout == null ? 0 : number("--timeout", cli.timeout, 1, JmpiRun.MAX_TIMEOUT);
        Map<String, String> settings = settings();
        String transport = Optional.ofNullable(settings.get(Config.TRANSPORT.envVar()))
                .orElse(env.get(Config.TRANSPORT.envVar()));
        boolean local = "local".equalsIgnoreCase(transport == null ? "" : transport.trim());
        if (local && cli.tls) throw usage("--tls protects TCP connections; --transport local has none (one JVM)");
        if (local && mode != Launch.Mode.LOCAL) {
            throw usage("--transport local runs every rank as a thread of one JVM on this machine; it cannot be "
                    + "combined with " + what(mode));
        }
        Launch launch = launch(mode, np, settings);
        return program(np, timeout, settings, local, launch);
    }

    /** The launch mode the command line and the environment ask for. */
    private Launch.Mode mode() {
        String kind = cli.launcher == null ? "auto" : cli.launcher.trim().toLowerCase(java.util.Locale.ROOT);
        boolean hosts = cli.hostfile != null || cli.hosts != null;
        if (cli.hostfile != null && cli.hosts != null) throw usage("give --hostfile or --host, not both");
        if (cli.wrap != null) {
            if (hosts) {
                throw usage("--wrap cannot be combined with --host/--hostfile: give the hosts to the wrapped command");
            }
            if (!kind.equals("auto")) throw usage("--wrap cannot be combined with --launcher " + kind);
            return Launch.Mode.WRAP;
        }
        switch (kind) {
            case "auto":
                if (hosts) return Launch.Mode.SSH;
                return inAllocation() ? Launch.Mode.SLURM : Launch.Mode.LOCAL;
            case "local":
                if (hosts) throw usage("--launcher local cannot be combined with --host/--hostfile");
                return Launch.Mode.LOCAL;
            case "ssh":
                if (!hosts) throw usage("--launcher ssh needs --hostfile FILE or --host HOST[:K],...");
                return Launch.Mode.SSH;
            case "slurm":
                if (hosts) throw usage("--launcher slurm cannot be combined with --host/--hostfile: srun places the ranks");
                if (!set("SLURM_JOB_ID")) {
                    throw usage("--launcher slurm needs a Slurm allocation (SLURM_JOB_ID is not set): run jmpirun "
                            + "inside salloc or an sbatch script");
                }
                return Launch.Mode.SLURM;
            default:
                throw usage("--launcher=" + cli.launcher + " is not valid; allowed auto, local, ssh, slurm");
        }
    }

    /**
     * Inside an allocation (salloc's shell, a batch script) but not inside a job step: there, a nested srun would
     * wait for resources the step holds, so a jmpirun in a step runs locally.
     */
    private boolean inAllocation() {
        return set("SLURM_JOB_ID") && !set("SLURM_STEP_ID");
    }

    private int allocationTasks() {
        for (String name : new String[] {"SLURM_NTASKS", "SLURM_NPROCS"}) {
            if (set(name)) {
                try {
                    return Integer.parseInt(env.get(name).trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private Launch launch(Launch.Mode mode, int np, Map<String, String> settings) {
        String bind = bind(settings);
        switch (mode) {
            case SSH: {
                List<Hostfile.Host> hosts = cli.hostfile != null ? Hostfile.read(Path.of(cli.hostfile))
                        : Hostfile.parseList(cli.hosts);
                Placement.MapBy by = cli.mapBy == null ? Placement.MapBy.SLOT : Placement.MapBy.parse(cli.mapBy);
                List<Placement.Rank> ranks = Placement.place(hosts, np, by, cli.oversubscribe, Placement::isThisMachine);
                List<String> agent = words(cli.launchAgent == null ? "ssh" : cli.launchAgent, "--launch-agent");
                return new Launch(mode, ranks, agent, bind, List.of(), null, null, List.of());
            }
            case SLURM: {
                List<String> srun = new ArrayList<>(List.of("srun", "--kill-on-bad-exit=1", "--mpi=none", "--export=ALL",
                        "--input=none", "--ntasks=" + np));
                if (cli.tagOutput) srun.add("--label");
                for (String group : cli.srunArgs) srun.addAll(words(group, "--srun-args"));
                String nodes = set("SLURM_JOB_NODELIST") ? env.get("SLURM_JOB_NODELIST") : env.get("SLURM_NODELIST");
                List<String> peers = nodes == null ? List.of() : io.jmpi.bootstrap.HostList.expand(nodes);
                return new Launch(mode, List.of(), List.of(), bind, srun, "SLURM_PROCID", "SLURM_LOCALID", peers);
            }
            case WRAP: {
                List<String> prefix = words(cli.wrap, "--wrap");
                String vars = cli.rankVar == null ? DEFAULT_RANK_VARS : cli.rankVar.trim();
                if (!vars.matches("[A-Za-z_][A-Za-z0-9_]*(,[A-Za-z_][A-Za-z0-9_]*)*")) {
                    throw usage("--rank-var=" + cli.rankVar + " is not a comma-separated list of variable names");
                }
                return new Launch(mode, List.of(), List.of(), bind, prefix, vars, DEFAULT_LOCAL_RANK_VARS, List.of());
            }
            default:
                if (cli.mapBy != null || cli.oversubscribe || cli.launchAgent != null) {
                    throw usage((cli.mapBy != null ? "--map-by" : cli.oversubscribe ? "--oversubscribe" : "--launch-agent")
                            + " needs --hostfile FILE or --host HOST[:K],...");
                }
                return Launch.local(bind);
        }
    }

    /**
     * {@code --bind} or {@code --iface} (also put into the settings, so the ranks bind the same way), else the bind
     * setting; checked here against this machine's interfaces.
     */
    private String bind(Map<String, String> settings) {
        if (cli.bind != null && cli.iface != null) throw usage("give --bind or --iface, not both");
        String value = cli.bind != null ? cli.bind : cli.iface;
        String option = cli.bind != null ? "--bind" : "--iface";
        if (value != null) {
            value = value.trim();
            if (cli.bind != null && !value.matches("[0-9a-fA-F.:/%]+")) {
                throw usage("--bind=" + cli.bind + " is not an IP address or CIDR (e.g. 10.0.0.5 or 10.0.0.0/24); "
                        + "use --iface NAME for an interface");
            }
            if (cli.iface != null && !value.matches("[A-Za-z0-9_.:@-]{1,32}")) {
                throw usage("--iface=" + cli.iface + " is not an interface name");
            }
            settings.put(Config.BIND.envVar(), value);
        } else {
            value = settings.getOrDefault(Config.BIND.envVar(), env.getOrDefault(Config.BIND.envVar(), ""));
            option = "bind setting";
        }
        if (!value.isEmpty()) {
            try {
                io.jmpi.bootstrap.BindAddress.select(value, null);
            } catch (MpiException e) {
                throw usage(option + ": " + e.getMessage().replaceFirst("^bootstrap: ", ""));
            }
        }
        return value;
    }

    private static List<String> words(String text, String option) {
        List<String> w = new ArrayList<>();
        for (String a : text.trim().split("\\s+")) {
            if (!a.isEmpty()) w.add(a);
        }
        if (w.isEmpty()) throw usage(option + " is empty");
        return w;
    }

    private static String what(Launch.Mode mode) {
        switch (mode) {
            case SSH: return "--host/--hostfile";
            case SLURM: return "a Slurm allocation (use --launcher local to run on this machine only)";
            default: return "--wrap";
        }
    }

    private boolean set(String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    private JobSpec program(int np, long timeout, Map<String, String> settings, boolean local, Launch launch) {
        JmpiHome home = JmpiHome.locate();
        List<String> cp = new ArrayList<>();
        List<String> program = new ArrayList<>();
        List<String> programCp = null; // with MAIN: the program's own class path, to check MAIN is on it
        MpiApi api = MpiApi.parse(cli.api);
        if (cli.jar != null) {
            if (cli.classPath != null) {
                throw usage("-cp cannot be combined with -jar (java ignores it); put the class path in the jar's "
                        + "manifest, or use -cp CP MAIN");
            }
            if (!Files.isRegularFile(Path.of(cli.jar))) throw usage("-jar " + cli.jar + ": no such file");
            String main = mainClassOf(cli.jar);
            api = main == null ? orNative(api) : api(api, List.of(cli.jar), main);
            if (api != MpiApi.NATIVE) {
                // java ignores -cp beside -jar, and the API jar must be on the class path: run the jar's main class
                if (main == null) throw usage("-jar " + cli.jar + ": its manifest has no Main-Class");
                cp.add(cli.jar);
                cp.addAll(home.coreClassPath());
                program.add(main);
            } else {
                program.add("-jar");
                program.add(cli.jar);
                if (local) {
                    cp.add(cli.jar); // the local job loads the jar's main itself, from its class path
                    cp.addAll(home.coreClassPath());
                }
            }
        } else {
            if (cli.classPath != null) cp.add(cli.classPath);
            if (cli.example != null) {
                api = examplesApi(api, "--example");
                cp.addAll(home.examplesClassPath());
                Preflight.example(home.examplesClassPath(), cli.example);
                program.add(JmpiRun.EXAMPLES_MAIN);
                program.add(cli.example);
            } else if (cli.bench != null) {
                api = examplesApi(api, "--bench");
                cp.addAll(home.benchClassPath());
                program.add(JmpiRun.BENCH_MAIN);
                program.add(cli.bench);
            } else {
                if (cli.classPath == null) cp.add("."); // java's own default when no class path is given
                api = api(api, List.copyOf(cp), cli.positional.get(0));
                programCp = List.copyOf(cp);
                cp.addAll(home.coreClassPath());
                program.add(cli.positional.get(0));
                program.addAll(cli.positional.subList(1, cli.positional.size()));
            }
        }
        program.addAll(cli.programArgs);
        boolean mpjBackend = MpjLauncher.selected(cli.backend, cli.mpjDev);
        if (api != MpiApi.NATIVE && mpjBackend) {
            // MPJ Express's mpj.jar is on the ranks' class path and defines package mpi too: the rank entry point
            // loads the API and the program in a class loader of their own (io.jmpi.mpj.ApiClassLoader)
            List<String> apiCp = new ArrayList<>(List.of(home.apiJar(api).toString()));
            for (String e : cp) if (!home.coreClassPath().contains(e)) apiCp.add(absolute(e));
            program.addAll(0, List.of(MpjProtocol.API_CLASS_PATH, String.join(File.pathSeparator, apiCp)));
        } else if (api != MpiApi.NATIVE) {
            // first: a program's class path may hold another package mpi (MPJ Express's mpj.jar); ours must win
            cp.add(0, home.apiJar(api).toString());
        }
        if (launch.mode() != Launch.Mode.LOCAL) {
            // other hosts (and srun's tasks) may start elsewhere: name every class path entry absolutely
            cp.replaceAll(JobPlanner::absolute);
            if (program.size() >= 2 && program.get(0).equals("-jar")) program.set(1, absolute(program.get(1)));
        }
        if (!local && cli.sharedStatics) throw usage("--shared-statics is for --transport local (ranks as threads of one JVM)");
        if (local && cli.sharedStatics && api != MpiApi.NATIVE) {
            throw usage("--shared-statics cannot be combined with --api " + api.option() + ": the mpi API keeps each "
                    + "rank's state in static fields (MPI.COMM_WORLD), so every rank thread loads it on its own");
        }
        if (local && cli.tagOutput) program.add(0, JobSpec.TAG_OUTPUT); // one JVM: the job tags its threads' lines
        if (local && !cli.sharedStatics) {
            // statics per rank, as in a JVM per rank (and the mpi APIs keep their state in statics, MPI.COMM_WORLD):
            // each rank thread loads the program (and the API) in a class loader of its own, as MPJ Express's
            // multicore device does; jmpi itself stays shared, on the JVM's class path
            List<String> core = home.coreClassPath();
            List<String> rankCp = new ArrayList<>(cp);
            rankCp.removeAll(core);
            program.addAll(0, List.of(JobSpec.RANK_CLASS_PATH, String.join(File.pathSeparator, rankCp)));
            cp = new ArrayList<>(core);
        }
        String java = java();
        List<String> jvmArgs = jvmArgs();
        // last, after every usage error: a main class not found fails every rank alike, so it is said once, here
        // (not for --backend mpj: MpjLauncher checks its own options after this plan, and they come first)
        if (programCp != null && launch.mode() == Launch.Mode.LOCAL && !cli.dryRun
                && !MpjLauncher.selected(cli.backend, cli.mpjDev)) {
            Preflight.mainClass(programCp, cli.positional.get(0));
        }
        String classPath = cp.isEmpty() ? null : String.join(File.pathSeparator, cp);
        return new JobSpec(np, java, jvmArgs, classPath, program, settings, local, cli.tagOutput, timeout, launch,
                cli.diagnoseAfter == null ? 0 : number("--diagnose-after", cli.diagnoseAfter, 1, JmpiRun.MAX_TIMEOUT));
    }

    /** The API of a program with main class {@code main} on {@code programCp}: --api, checked, or inspected. */
    private MpiApi api(MpiApi requested, List<String> programCp, String main) {
        boolean mpj = MpjLauncher.selected(cli.backend, cli.mpjDev);
        if (mpj && requested == MpiApi.OPENMPI) throw mpjBackendWithApi(requested);
        MpiApi api = ApiChoice.choose(requested, ApiInspection.inspect(programCp, main), main, cli.verboseStream());
        if (mpj && api == MpiApi.OPENMPI) throw mpjBackendWithApi(api);
        return api;
    }

    private MpiApi examplesApi(MpiApi requested, String option) {
        if (requested != null && requested != MpiApi.NATIVE) {
            throw usage(option + " runs jmpi's own programs, written for --api native; --api " + requested.option()
                    + " is for programs written against package mpi");
        }
        return MpiApi.NATIVE;
    }

    private MpiApi orNative(MpiApi requested) {
        if (requested == MpiApi.OPENMPI && MpjLauncher.selected(cli.backend, cli.mpjDev)) {
            throw mpjBackendWithApi(requested);
        }
        return requested == null ? MpiApi.NATIVE : requested;
    }

    private static MpiException mpjBackendWithApi(MpiApi api) {
        return usage("--backend mpj runs jmpi programs (--api native) and mpiJava 1.2 programs (--api mpijava) on MPJ "
                + "Express's devices; --api " + api.option() + " is not offered with it (run it without --backend)");
    }

    /** The Main-Class of a jar's manifest; null when it has none or cannot be read (java then says so). */
    private static String mainClassOf(String jar) {
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar)) {
            java.util.jar.Manifest m = j.getManifest();
            String main = m == null ? null : m.getMainAttributes().getValue(java.util.jar.Attributes.Name.MAIN_CLASS);
            return main == null || main.isBlank() ? null : main.trim();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** A class path entry made absolute against the working directory ({@code dir/*} stays a wildcard). */
    static String absolute(String entry) {
        List<String> parts = new ArrayList<>();
        for (String e : entry.split(java.util.regex.Pattern.quote(File.pathSeparator), -1)) {
            if (e.isEmpty()) continue;
            if (e.endsWith("*")) {
                String dir = e.substring(0, e.length() - 1);
                parts.add(Path.of(dir.isEmpty() ? "." : dir).toAbsolutePath().normalize() + File.separator + "*");
            } else {
                parts.add(Path.of(e).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(File.pathSeparator, parts);
    }

    /**
     * Settings for the ranks, as environment variables: the launcher's own {@code -Djmpi.<name>} system properties,
     * then {@code -D}/{@code --set} in order, then {@code --transport}. Each is validated here, so a typo fails
     * before any JVM starts.
     */
    private Map<String, String> settings() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Config.Setting<?> s : Config.all()) {
            if (s == Config.TLS_PASSWORD) continue; // only through the environment, which the ranks inherit
            String v = System.getProperty(s.property());
            if (v != null) put(env, s, v, "system property " + s.property() + "=" + v);
        }
        for (String item : cli.settings) {
            int eq = item.indexOf('=');
            if (eq <= 0) throw usage("-D " + item + ": expected name=value");
            String name = item.substring(0, eq).trim();
            Config.Setting<?> s = Config.all().stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow(() -> usage("-D " + item + ": unknown setting '" + name + "'; known: " + knownNames()));
            if (s == Config.TLS_PASSWORD) { // never echo it
                throw usage("-D " + name + ": a password must not be on a command line (other users see it with ps); "
                        + "set " + Config.TLS_PASSWORD.envVar() + " in jmpirun's environment instead");
            }
            put(env, s, item.substring(eq + 1), "-D " + item);
        }
        if (cli.transport != null) put(env, Config.TRANSPORT, cli.transport, "--transport=" + cli.transport);
        if (cli.tls) put(env, Config.TLS, "true", "--tls");
        if (cli.check) put(env, Config.CHECK, "true", "--check");
        if (cli.traceDir != null) {
            put(env, Config.TRACE_DIR, cli.traceDir.toString(), "--trace/--profile");
            if (cli.profile) put(env, Config.TRACE_CALL_SITES, "true", "--profile");
        }
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

    /**
     * {@code --java}, else {@code $JAVA_HOME/bin/java}, else the java running this launcher: {@code java.home}'s
     * {@code bin/java} ({@code java.exe} on Windows), which is what {@code java -jar jmpi.jar} started.
     */
    private String java() {
        if (cli.java != null) {
            Path p = Path.of(cli.java);
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw usage("--java=" + cli.java + " is not an executable file");
            }
            return cli.java;
        }
        String javaHome = env.get("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            Path p = Path.of(javaHome, "bin", javaExecutable());
            if (Files.isExecutable(p)) return p.toString();
        }
        Path own = Path.of(System.getProperty("java.home"), "bin", javaExecutable());
        if (Files.isExecutable(own)) return own.toString();
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static String javaExecutable() {
        return io.jmpi.base.Platform.windows() ? "java.exe" : "java";
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

    static long number(String option, String text, long min, long max) {
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
