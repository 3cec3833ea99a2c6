package io.jmpi.bootstrap;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The identity jmpirun gives a rank through its environment (docs/BOOTSTRAP.md): rank, size, local rank, job id,
 * secret and the launcher's address. Written by the launcher ({@link #toEnvironment()}) and read by the rank
 * ({@link #parse}), so both sides share one definition of the variable names and formats. The secret travels only
 * in the environment, never on a command line, and is never part of an error message or {@link #toString()}.
 */
public final class RankEnvironment {
    public static final String RANK = "JMPI_RANK";
    public static final String SIZE = "JMPI_SIZE";
    public static final String LOCAL_RANK = "JMPI_LOCAL_RANK";
    public static final String JOB_ID = "JMPI_JOB_ID";
    public static final String SECRET = "JMPI_SECRET";
    public static final String LAUNCHER = "JMPI_LAUNCHER";
    /**
     * When ranks are started by another launcher (srun, Open MPI's mpirun) that cannot give each rank its own
     * {@code JMPI_RANK}: the names of the variables, comma separated, that hold the rank instead; the first one set
     * is used (e.g. {@code SLURM_PROCID}, or {@code OMPI_COMM_WORLD_RANK,PMIX_RANK,PMI_RANK,SLURM_PROCID}).
     */
    public static final String RANK_FROM = "JMPI_RANK_FROM";
    /** As {@link #RANK_FROM}, for the local rank ({@code SLURM_LOCALID}, {@code OMPI_COMM_WORLD_LOCAL_RANK}). */
    public static final String LOCAL_RANK_FROM = "JMPI_LOCAL_RANK_FROM";
    /** Every variable that identifies a job; a launcher removes inherited ones before setting its own. */
    public static final List<String> ALL = List.of(RANK, SIZE, LOCAL_RANK, JOB_ID, SECRET, LAUNCHER, RANK_FROM,
            LOCAL_RANK_FROM);
    /** Largest world size a launcher may start. */
    public static final int MAX_SIZE = 4096;

    private final int rank;
    private final int size;
    private final int localRank;
    private final long jobId;
    private final byte[] secret;
    private final String launcherHost;
    private final int launcherPort;

    public RankEnvironment(int rank, int size, int localRank, long jobId, byte[] secret,
                           String launcherHost, int launcherPort) {
        this.rank = rank;
        this.size = size;
        this.localRank = localRank;
        this.jobId = jobId;
        this.secret = secret.clone();
        this.launcherHost = launcherHost;
        this.launcherPort = launcherPort;
    }

    public int rank() { return rank; }
    public int size() { return size; }
    public int localRank() { return localRank; }
    public long jobId() { return jobId; }
    public byte[] secret() { return secret.clone(); }
    public String launcherHost() { return launcherHost; }
    public int launcherPort() { return launcherPort; }

    /** The variables a launcher sets for this rank. */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(RANK, Integer.toString(rank));
        env.put(SIZE, Integer.toString(size));
        env.put(LOCAL_RANK, Integer.toString(localRank));
        env.put(JOB_ID, Long.toHexString(jobId));
        env.put(SECRET, hex(secret));
        env.put(LAUNCHER, formatHostPort(launcherHost, launcherPort));
        return env;
    }

    /**
     * Reads and validates the variables.
     *
     * @throws MpiException ARG naming the variable, its value (never the secret's) and the allowed range
     */
    public static RankEnvironment parse(Map<String, String> env) {
        int size = intVar(env, SIZE, 1, MAX_SIZE);
        String rankName = indirect(env, RANK, RANK_FROM, true);
        checkOtherSize(env, rankName, size);
        int rank = intVar(env, rankName, 0, size - 1);
        String localName = indirect(env, LOCAL_RANK, LOCAL_RANK_FROM, false);
        int localRank = localName != null ? intVar(env, localName, 0, size - 1) : 0;
        String job = required(env, JOB_ID);
        long jobId;
        try {
            jobId = Long.parseUnsignedLong(job, 16);
        } catch (NumberFormatException e) {
            throw arg(JOB_ID + "=" + job + " is not a 64-bit hex number");
        }
        byte[] secret = parseSecret(required(env, SECRET));
        String launcher = required(env, LAUNCHER);
        int colon = launcher.lastIndexOf(':');
        if (colon <= 0) throw arg(LAUNCHER + "=" + launcher + " is not host:port");
        String host = launcher.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(launcher.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) throw arg(LAUNCHER + "=" + launcher + ": port out of range [1, 65535]");
        return new RankEnvironment(rank, size, localRank, jobId, secret, host, port);
    }

    /**
     * The variable that holds a value: {@code direct} when set, else the first variable named in {@code from} that is
     * set. Null when none is and the value is optional.
     */
    private static String indirect(Map<String, String> env, String direct, String from, boolean required) {
        if (present(env, direct) || !present(env, from)) {
            if (required || present(env, direct)) return direct;
            return null;
        }
        List<String> names = new java.util.ArrayList<>();
        for (String n : env.get(from).split(",")) {
            String name = n.trim();
            if (name.isEmpty()) continue;
            if (present(env, name)) return name;
            names.add(name);
        }
        if (!required) return null;
        throw arg(direct + " is not set, and neither is any variable named by " + from + "=" + env.get(from)
                + " (the launcher that started this process did not set " + String.join(" or ", names) + ")");
    }

    /**
     * When the rank comes from another launcher's variable, that launcher's own count of processes must be the job's
     * size: {@code jmpirun -np 4 --wrap "mpirun -np 6"} would otherwise wait for ranks that never come (or get ranks
     * out of range).
     */
    private static void checkOtherSize(Map<String, String> env, String rankName, int size) {
        String sizeName;
        switch (rankName) {
            case "OMPI_COMM_WORLD_RANK": sizeName = "OMPI_COMM_WORLD_SIZE"; break;
            case "PMI_RANK": sizeName = "PMI_SIZE"; break;
            case "PMIX_RANK": sizeName = "PMIX_SIZE"; break;
            case "SLURM_PROCID": sizeName = present(env, "SLURM_STEP_NUM_TASKS") ? "SLURM_STEP_NUM_TASKS" : "SLURM_NTASKS"; break;
            default: return;
        }
        String other = env.get(sizeName);
        if (other == null || other.isBlank() || other.trim().equals(Integer.toString(size))) return;
        throw arg(SIZE + "=" + size + " but " + sizeName + "=" + other.trim() + ": the launcher that started this "
                + "process started " + other.trim() + " processes for a job of " + size + " ranks (give jmpirun -np and "
                + "the wrapped command the same count)");
    }

    private static boolean present(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    /** Whether every character is a hex digit (a loop: a stream's classes and lambda cost each rank JVM's start). */
    private static boolean hex(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) return false;
        }
        return true;
    }

    private static byte[] parseSecret(String text) {
        if (text.length() < 32 || text.length() % 2 != 0 || !hex(text)) {
            // Never echo the value: it is the job's credential.
            throw arg(SECRET + " must be at least 32 hex characters (16 bytes), an even number; got "
                    + text.length() + " characters");
        }
        byte[] b = new byte[text.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    private static int intVar(Map<String, String> env, String name, int min, int max) {
        String text = required(env, name);
        int v;
        try {
            v = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw arg(name + "=" + text + " is not an integer; allowed [" + min + ", " + max + "]");
        }
        if (v < min || v > max) throw arg(name + "=" + text + " out of range [" + min + ", " + max + "]");
        return v;
    }

    private static String required(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) throw arg(name + " is not set (a rank started by jmpirun has it)");
        return v.trim();
    }

    private static MpiException arg(String msg) {
        return new MpiException(ErrorClass.ARG, "bootstrap: " + msg);
    }

    /** {@code host:port}, with brackets around an IPv6 literal. */
    public static String formatHostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Lower-case hex of bytes. */
    public static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) sb.append(String.format(Locale.ROOT, "%02x", b & 0xff));
        return sb.toString();
    }

    @Override
    public String toString() {
        return "RankEnvironment[rank=" + rank + ", size=" + size + ", localRank=" + localRank + ", jobId="
                + Long.toHexString(jobId) + ", launcher=" + formatHostPort(launcherHost, launcherPort) + "]";
    }
}
