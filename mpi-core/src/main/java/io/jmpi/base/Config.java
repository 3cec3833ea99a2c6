package io.jmpi.base;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Every tunable of jmpi in one place. A setting has a name, a default and a validated range, and is read from
 * the system property {@code jmpi.<name>} or the environment variable {@code JMPI_<NAME>} (upper snake case), in
 * that order. The launcher forwards them to every rank as environment variables.
 */
public final class Config {
    /** One named setting. */
    public static final class Setting<T> {
        private final String name;
        private final T defaultValue;
        private final Function<String, T> parser;
        private final String range;
        private final Function<T, Boolean> valid;
        private final String description;

        private Setting(String name, T defaultValue, Function<String, T> parser, String range,
                        Function<T, Boolean> valid, String description) {
            this.name = name;
            this.defaultValue = defaultValue;
            this.parser = parser;
            this.range = range;
            this.valid = valid;
            this.description = description;
        }

        public String name() { return name; }
        public T defaultValue() { return defaultValue; }
        public String range() { return range; }
        public String description() { return description; }

        /** The system property that sets it, e.g. {@code jmpi.eagerLimit}. */
        public String property() { return "jmpi." + name; }

        /** The environment variable that sets it, e.g. {@code JMPI_EAGER_LIMIT}. */
        public String envVar() {
            StringBuilder sb = new StringBuilder("JMPI_");
            for (char c : name.toCharArray()) {
                if (Character.isUpperCase(c)) sb.append('_');
                sb.append(Character.toUpperCase(c));
            }
            return sb.toString();
        }

        /** Parses and validates a textual value; the error names the setting, the value and the range. */
        public T parse(String text) {
            T v;
            try {
                v = parser.apply(text.trim());
            } catch (RuntimeException e) {
                throw new MpiException(ErrorClass.ARG, "config: " + name + "=" + text + " is not valid; allowed " + range);
            }
            if (!valid.apply(v)) {
                throw new MpiException(ErrorClass.ARG, "config: " + name + "=" + text + " out of range " + range);
            }
            return v;
        }
    }

    private static final List<Setting<?>> ALL = new ArrayList<>();

    private static Setting<Integer> intSetting(String name, int def, int min, int max, String desc) {
        Setting<Integer> s = new Setting<>(name, def, Integer::decode, "[" + min + ", " + max + "]",
                v -> v >= min && v <= max, desc);
        ALL.add(s);
        return s;
    }

    private static Setting<String> choice(String name, String def, List<String> choices, String desc) {
        Setting<String> s = new Setting<>(name, def, t -> t.toLowerCase(Locale.ROOT), choices.toString(),
                choices::contains, desc);
        ALL.add(s);
        return s;
    }

    private static Setting<Boolean> bool(String name, boolean def, String desc) {
        Setting<Boolean> s = new Setting<>(name, def, t -> {
            switch (t.toLowerCase(Locale.ROOT)) {
                case "true": case "on": case "yes": case "1": return true;
                case "false": case "off": case "no": case "0": return false;
                default: throw new IllegalArgumentException(t);
            }
        }, "true or false", v -> true, desc);
        ALL.add(s);
        return s;
    }

    private static Setting<String> text(String name, String def, String desc) {
        Setting<String> s = new Setting<>(name, def, t -> t, "any text", t -> true, desc);
        ALL.add(s);
        return s;
    }

    /** Messages up to this many bytes are sent eagerly; larger ones by rendezvous. */
    public static final Setting<Integer> EAGER_LIMIT = intSetting("eagerLimit", 64 * 1024, 0, 1 << 20,
            "largest message (bytes) sent eagerly, without waiting for the matching receive");
    /** Bytes of unexpected eager data a receiver accepts from one peer before the sender must use rendezvous. */
    public static final Setting<Integer> PEER_CREDIT = intSetting("peerCredit", 4 << 20, 64 * 1024, 1 << 30,
            "bytes of unmatched eager data one peer may leave buffered at a receiver");
    /** Size of one rendezvous data frame. */
    public static final Setting<Integer> CHUNK_SIZE = intSetting("chunkSize", 1 << 20, 4096, 8 << 20,
            "largest rendezvous data frame in bytes (a multiple of 8); shared memory caps it at an eighth of its ring");
    /** Busy-spin iterations before a waiting thread starts yielding. */
    public static final Setting<Integer> SPIN_TRIES = intSetting("spinTries", -1, -1, Integer.MAX_VALUE,
            "busy-poll iterations before a waiting thread yields; -1: 20000 when this host's ranks fit its cores, else 0");
    /** Thread.yield iterations before a waiting thread starts parking. */
    public static final Setting<Integer> YIELD_TRIES = intSetting("yieldTries", -1, -1, Integer.MAX_VALUE,
            "Thread.yield iterations before a waiting thread parks; -1: 20000 when this host's ranks fit its cores, "
            + "else 200");
    /** Longest park of a waiting thread, microseconds: the bound on wake-up latency once idle without a doorbell. */
    public static final Setting<Integer> MAX_PARK_MICROS = intSetting("maxParkMicros", 1000, 1, 1_000_000,
            "longest park of an idle waiting thread, in microseconds; with a doorbell, the safety-net timeout of a "
            + "blocked sleeper (it also bounds how late a shared-memory peer's death is noticed)");
    /** Whether an idle waiter blocks on a doorbell (a peer wakes it) instead of parking with a bounded period. */
    public static final Setting<Boolean> DOORBELL = bool("doorbell", true,
            "an idle waiter (past spinTries and yieldTries) announces that it sleeps and blocks until a peer rings or a "
            + "frame arrives (shared memory: a per-rank socket; TCP: a selector); maxParkMicros is then only a safety net. "
            + "false: park with a period growing to maxParkMicros");
    /** Transport choice. */
    public static final Setting<String> TRANSPORT = choice("transport", "auto", List.of("auto", "tcp", "shm", "local"),
            "transport between ranks: auto (shm on one host, tcp between hosts), tcp, shm, local (threads)");
    /** Seconds to wait for peers at start-up and for their goodbye at close. */
    public static final Setting<Integer> CONNECT_TIMEOUT = intSetting("connectTimeout", 60, 1, 3600,
            "seconds to wait for a peer to connect (at start-up with connections=eager, on first use with lazy), and at close for every peer to acknowledge the goodbye");
    /** When TCP connections between ranks are made: on first use, or all at start-up. */
    public static final Setting<String> CONNECTIONS = choice("connections", "lazy", List.of("lazy", "eager"),
            "when ranks open TCP connections to each other: lazy (on first use: a rank connects to a peer when it first "
            + "sends to it; a job whose ranks talk to few peers opens few connections) or eager (every pair at Mpi.init, "
            + "so start-up absorbs the cost)");
    /** Whether a rank prints where its start-up time went. */
    public static final Setting<Boolean> INIT_TIMINGS = bool("initTimings", false,
            "each rank prints to stderr where Mpi.init's time went (JVM start to init, bootstrap, listen, endpoint exchange, "
            + "connect, engine) and, at close, the time from init to close and the connections made by then");
    /** Whether jmpirun gives rank JVMs a class-data-sharing archive of the job's classes. */
    public static final Setting<Boolean> CDS = bool("cds", true,
            "jmpirun starts rank JVMs on this host with an AppCDS archive of the job's class path (made by rank 0 of the "
            + "first job with that java and class path, kept in ~/.cache/jmpi/cds); false: plain JVMs");
    /** How jmpirun starts a multi-JVM job's ranks: directly, or through one launch agent per host. */
    public static final Setting<String> HOST_AGENTS = choice("hostAgents", "auto", List.of("auto", "on", "off"),
            "how jmpirun starts the ranks of a job of several JVMs: on (one io.jmpi.launch.HostAgent per host, started "
            + "here, over one ssh session, or inside a Slurm allocation as the task of one srun step with one task per "
            + "node; it starts and watches that host's ranks and forwards their output over one connection), off (each "
            + "rank a process of jmpirun, a remote rank one ssh session each, every rank of a Slurm allocation a task of "
            + "one srun), auto (on for --hostfile/--host jobs with a remote host and inside a Slurm allocation, off "
            + "otherwise)");
    /** Whether ranks started by a launch agent reach the launcher through it. */
    public static final Setting<Boolean> AGENT_RELAY = bool("agentRelay", true,
            "with hostAgents: each rank's control connection goes to its host's launch agent, which relays it over its "
            + "one connection to jmpirun (jmpirun holds one connection per host, not per rank); false: ranks connect to "
            + "jmpirun directly");
    /** Whether a launch agent serves its ranks' control connections itself and gathers their endpoints. */
    public static final Setting<Boolean> AGENT_EXCHANGE = bool("agentExchange", true,
            "with hostAgents and agentRelay: each agent serves its ranks' control connections itself, sends their "
            + "endpoints to jmpirun as one message and hands the table jmpirun sends it once to each of its ranks "
            + "(hierarchical exchange: one exchange per agent, not per rank); false: the agent tunnels each rank's "
            + "connection to jmpirun byte for byte");
    /** How many launch agents one agent (or jmpirun) starts over ssh at most: the agent tree's fan-out. */
    public static final Setting<Integer> AGENT_FANOUT = intSetting("agentFanout", 32, 1, 4096,
            "with hostAgents: when a job has more remote hosts than this, jmpirun starts only this many agents over "
            + "ssh, each given a slice of the host list, and each starts its slice's agents over ssh in turn and "
            + "relays their frames (a tree of depth about log_fanout(hosts)); jmpirun opens at most this many ssh "
            + "sessions");
    /** TCP socket buffer sizes; 0 leaves them to the kernel's autotuning. */
    public static final Setting<Integer> TCP_BUFFER = intSetting("tcpBuffer", 0, 0, 1 << 30,
            "SO_SNDBUF/SO_RCVBUF of TCP connections in bytes; 0 (default) keeps the kernel's autotuning, which an explicit size disables");
    /** TCP send buffer size when {@link #TCP_BUFFER} is 0; 0 leaves it to the kernel's autotuning. */
    public static final Setting<Integer> TCP_SEND_BUFFER = intSetting("tcpSendBuffer", 256 * 1024, 0, 1 << 30,
            "SO_SNDBUF of TCP connections in bytes when tcpBuffer is 0 (the receive side stays autotuned): a large frame "
            + "is written as the socket drains instead of being queued whole in the kernel; 0: the kernel's autotuning");
    /** Bytes of each shared-memory ring (one per sending peer), a power of two. */
    public static final Setting<Integer> SHM_RING_SIZE = new Setting<>("shmRingSize", 2 << 20, Integer::decode,
            "a power of two in [65536, 268435456]", v -> v >= 65536 && v <= (256 << 20) && Integer.bitCount(v) == 1,
            "bytes of each shared-memory ring (one per sending peer on the host)");
    /** Directory of shared-memory segments. */
    public static final Setting<String> SHM_DIR = text("shmDir", "",
            "directory where shared-memory segments are created (unlinked once every peer attached); empty: /dev/shm "
            + "when it exists and is writable, else java.io.tmpdir (macOS, Windows)");
    /** Only the portable code paths (what Windows and macOS run), to test them on Linux (io.jmpi.base.Platform). */
    public static final Setting<Boolean> PORTABLE = bool("portable", false,
            "true: no /proc and no /dev/shm (hostname from Java, host identity from a token file in shmDir, segments in "
            + "java.io.tmpdir), as on Windows and macOS; for testing those paths on Linux");

    static {
        ALL.add(SHM_RING_SIZE);
    }

    /** Interface address or CIDR to bind and advertise. */
    public static final Setting<String> BIND = text("bind", "",
            "address or CIDR (e.g. 10.0.0.0/24) of the interface ranks bind and advertise; empty: toward the launcher");

    // ---- TLS on TCP connections between ranks (docs/PROTOCOL.md, "TLS")
    /** Encrypts and authenticates every TCP connection between ranks with TLS 1.3 (jmpirun --tls). */
    public static final Setting<Boolean> TLS = bool("tls", false,
            "TLS 1.3 on TCP connections between ranks (mutual certificates from tlsKeystore); shared memory is unaffected");
    /** PKCS12 keystore with this job's private key and certificate. */
    public static final Setting<String> TLS_KEYSTORE = text("tlsKeystore", "",
            "PKCS12 keystore holding the job's private key and certificate (also the trust store unless tlsTruststore is set)");
    /** PKCS12 keystore with the certificates (or CA) a rank trusts; empty: tlsKeystore. */
    public static final Setting<String> TLS_TRUSTSTORE = text("tlsTruststore", "",
            "PKCS12 keystore with the certificates (or their CA) that peers must present; empty: tlsKeystore");
    /** Password of the keystores: from the environment only (JMPI_TLS_PASSWORD), never on a command line. */
    public static final Setting<String> TLS_PASSWORD = text("tlsPassword", "",
            "password of tlsKeystore and tlsTruststore; set JMPI_TLS_PASSWORD in jmpirun's environment (never -D)");

    // ---- collective algorithm thresholds (docs/COLLECTIVES.md); all ranks must use the same values
    /** Broadcasts of at least this many bytes on 3+ ranks use scatter + ring allgather instead of a binomial tree. */
    public static final Setting<Integer> COLL_BCAST_LARGE = intSetting("collBcastLarge", 128 * 1024, 0, Integer.MAX_VALUE,
            "bcast of at least this many bytes (3+ ranks): scatter + ring allgather instead of a binomial tree");
    /** Reduces of at least this many bytes use reduce-scatter + gather (Rabenseifner) instead of a binomial tree. */
    public static final Setting<Integer> COLL_REDUCE_LARGE = intSetting("collReduceLarge", 32 * 1024, 0, Integer.MAX_VALUE,
            "reduce of at least this many bytes: reduce-scatter + gather (Rabenseifner) instead of a binomial tree");
    /** Allreduces of at least this many bytes use Rabenseifner instead of recursive doubling. */
    public static final Setting<Integer> COLL_ALLREDUCE_LARGE = intSetting("collAllreduceLarge", 32 * 1024, 0, Integer.MAX_VALUE,
            "allreduce of at least this many bytes: reduce-scatter + allgather (Rabenseifner) instead of recursive doubling");
    /** Reduce-scatters of at least this many bytes (whole vector) use pairwise exchange instead of allreduce + copy. */
    public static final Setting<Integer> COLL_REDUCE_SCATTER_LARGE = intSetting("collReduceScatterLarge", 64 * 1024, 0,
            Integer.MAX_VALUE, "reduceScatter of a vector of at least this many bytes: pairwise exchange instead of allreduce");
    /** Allgathers of at least this many bytes in total use a ring instead of Bruck's algorithm. */
    public static final Setting<Integer> COLL_ALLGATHER_LARGE = intSetting("collAllgatherLarge", 256 * 1024, 0, Integer.MAX_VALUE,
            "allgather(v) gathering at least this many bytes in total: ring instead of Bruck");
    /** Gathers and scatters of blocks of at least this many bytes go directly to/from the root instead of a tree. */
    public static final Setting<Integer> COLL_GATHER_LARGE = intSetting("collGatherLarge", 32 * 1024, 0, Integer.MAX_VALUE,
            "gather/scatter of blocks of at least this many bytes: linear (direct to the root) instead of a binomial tree");
    /** All-to-alls of blocks of at most this many bytes use Bruck's algorithm (on collBruckMinRanks+ ranks). */
    public static final Setting<Integer> COLL_ALLTOALL_SMALL = intSetting("collAlltoallSmall", 256, 0, Integer.MAX_VALUE,
            "alltoall of blocks of at most this many bytes: Bruck (log p rounds) on collBruckMinRanks or more ranks");
    /** All-to-alls of blocks of at least this many bytes use pairwise exchange instead of posting everything at once. */
    public static final Setting<Integer> COLL_ALLTOALL_LARGE = intSetting("collAlltoallLarge", 32 * 1024, 0, Integer.MAX_VALUE,
            "alltoall of blocks of at least this many bytes: pairwise exchange instead of all messages at once");
    /** Fewest ranks for which a small all-to-all uses Bruck's algorithm. */
    public static final Setting<Integer> COLL_BRUCK_MIN_RANKS = intSetting("collBruckMinRanks", 8, 2, Integer.MAX_VALUE,
            "fewest ranks for which a small alltoall uses Bruck's algorithm");
    /** Verifies before each collective that all ranks passed the same root and count (one extra allreduce). */
    public static final Setting<String> COLL_CHECK = choice("collCheck", "off", List.of("off", "on"),
            "check that all ranks pass the same collective, root and count (costs an allreduce per collective)");
    /**
     * The error handler WORLD and SELF start with, and so every communicator made from them: {@code return} (as
     * mpi4py: a failing call throws to its caller, and an uncaught exception ends the job anyway) or {@code fatal}
     * (MPI's {@code MPI_ERRORS_ARE_FATAL}: a failing call aborts the job even when the exception is caught).
     */
    public static final Setting<String> ERRORS = choice("errors", "return", List.of("return", "fatal"),
            "initial error handler of WORLD and SELF: return (throw to the caller) or fatal (abort the job, then throw)");

    /** Shared-memory collectives for communicators whose ranks share a host (with the shm transport). */
    public static final Setting<String> COLL_SHM = choice("collShm", "auto", List.of("auto", "off"),
            "shared-memory collectives (barrier, bcast, reduce, allreduce, gather, allgather) on communicators of one host "
                    + "when the shm transport is in use: auto, or off (point-to-point schedules)");
    /** Bytes of each rank's slot in a communicator's shared-memory collective segment. */
    public static final Setting<Integer> COLL_SHM_SLOT = new Setting<>("collShmSlot", 512 * 1024, Integer::decode,
            "a multiple of 256 in [4096, 67108864]", v -> v >= 4096 && v <= (64 << 20) && v % 256 == 0,
            "bytes of each rank's slot in a communicator's shared-memory collective segment (two banks; larger messages go "
                    + "in chunks of a bank; a sparse file: only the pages a collective touched take memory)");
    /** Largest message per rank that blocking collectives move through shared memory. */
    public static final Setting<Integer> COLL_SHM_MAX = intSetting("collShmMax", Integer.MAX_VALUE, 0, Integer.MAX_VALUE,
            "largest message per rank (bytes) that a blocking collective moves through shared memory (default: any); "
                    + "larger ones use point-to-point schedules");

    static {
        ALL.add(COLL_SHM_SLOT);
    }

    /** Hierarchical collectives for communicators spanning hosts (docs/COLLECTIVES.md, "Across hosts"). */
    public static final Setting<String> COLL_HIER = choice("collHier", "auto", List.of("auto", "off"),
            "hierarchical collectives (barrier, bcast, reduce, allreduce) on communicators spanning hosts with >= 2 ranks "
                    + "on some host: shared memory inside each host, one leader per host over the network: auto, or off (flat)");
    /**
     * Tests only: gives the world ranks of one machine different host identities, so that a job on one host looks
     * like several (ranks with different labels then talk over TCP and get no shared memory between them).
     */
    public static final Setting<String> TEST_HOSTS = new Setting<>("testHosts", "", t -> t,
            "empty, or a label per rank (a,a,b,b)", t -> t.isEmpty() || t.matches("\\w+(,\\w+)*"),
            "tests only: a host label per world rank (e.g. a,a,b,b) appended to the host identity, so that one machine "
                    + "looks like several (ranks of different labels use TCP, not shared memory)");

    static {
        ALL.add(TEST_HOSTS);
    }

    /**
     * Folder of the job's trace files (issue 19; {@code jmpirun --trace} and {@code --profile} set it): every rank
     * records its MPI operations and messages there (docs/TOOLS.md). Empty: off, and the hooks cost one branch.
     */
    public static final Setting<String> TRACE_DIR = text("traceDir", "",
            "folder where every rank records its MPI operations (set by jmpirun --trace/--profile); empty: off");
    /** MPI operations as JDK Flight Recorder events ({@code io.jmpi.Operation}; docs/TOOLS.md). */
    public static final Setting<String> JFR = choice("jfr", "auto", List.of("auto", "on", "off"),
            "MPI operations as JFR events (io.jmpi.Operation): auto (when a flight recording runs at init), on, off");
    /**
     * {@code jmpirun --explore N --seed S} sets it per run: a receive from ANY_SOURCE takes the message of a sender
     * chosen with this seed among those waiting, not the first to arrive (docs/TOOLS.md). -1: off.
     */
    public static final Setting<Integer> EXPLORE_SEED = intSetting("exploreSeed", -1, -1, Integer.MAX_VALUE,
            "seed of the random (MPI-legal) choice among waiting senders for ANY_SOURCE receives (jmpirun --explore); -1: off");
    /** Run-time correctness checks ({@code jmpirun --check}; docs/TOOLS.md): findings on standard error. */
    public static final Setting<Boolean> CHECK = bool("check", false,
            "correctness checks: send buffers changed while sending, requests never completed, collectives called "
                    + "differently by the ranks, unmatched messages at close (costs an allreduce per collective)");
    /** Records each traced operation's call site in the program (a stack walk per operation: --profile). */
    public static final Setting<Boolean> TRACE_CALL_SITES = bool("traceCallSites", false,
            "with traceDir: record the program's call site (Class:line) of each operation (a stack walk each)");

    private final Map<String, String> env;

    private Config(Map<String, String> env) {
        this.env = env;
    }

    /** Settings from system properties and the process environment. */
    public static Config fromEnvironment() {
        return new Config(System.getenv());
    }

    /** Settings from system properties and the given environment (tests, in-JVM ranks). */
    public static Config of(Map<String, String> env) {
        return new Config(Map.copyOf(env));
    }

    /** Reads and validates a setting. */
    public <T> T get(Setting<T> s) {
        String v = System.getProperty(s.property());
        if (v == null) v = env.get(s.envVar());
        if (v == null || v.isEmpty()) return s.defaultValue();
        return s.parse(v);
    }

    /** Every known setting, for {@code jmpirun --help} and the docs. */
    public static List<Setting<?>> all() {
        return Collections.unmodifiableList(ALL);
    }
}
