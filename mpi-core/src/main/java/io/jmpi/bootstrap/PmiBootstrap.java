package io.jmpi.bootstrap;

import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.wire.HandshakeDescriptor;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The bootstrap of a rank started directly by a PMI-capable launcher, without jmpirun: Slurm's
 * {@code srun --mpi=pmi2 java ...} (or MPICH's Hydra, untested). Rank and size come from {@code PMI_RANK}/
 * {@code PMI_SIZE} (or {@code SLURM_PROCID}/{@code SLURM_NTASKS}); endpoints are exchanged through the job's PMI
 * key-value space over the task's private socket {@code PMI_FD}, with the {@link PmiClient PMI-1 wire protocol}.
 *
 * <p>Two fences:
 * <ol>
 *   <li>rank 0 draws the job id and the 32-byte secret from {@link java.security.SecureRandom} and puts them under
 *       {@value #JOB_KEY}; after the first barrier every rank reads them. The secret thus never appears in an
 *       environment, a command line or a file: it travels only over the tasks' private PMI sockets and Slurm's own
 *       step-daemon messages, so another user can neither read nor guess it;</li>
 *   <li>{@link #exchange} puts this rank's endpoint under {@value #ENDPOINT_KEY}{@code <rank>}, waits at the second
 *       barrier and reads every rank's.</li>
 * </ol>
 * The advertised address is the {@code bind} setting if given, else this host's address toward another node of the
 * step ({@code SLURM_STEP_NODELIST}, expanded with {@link HostList}), else toward {@code SLURM_SRUN_COMM_HOST}, else
 * loopback when the whole step runs on this node.
 *
 * <p>There is no launcher to supervise the job: a rank that dies is reported by srun, and {@code srun -K} (kill the
 * step when a task fails) ends the others. {@link #abort} asks the PMI server to kill the step.
 */
public final class PmiBootstrap implements Bootstrap {
    /** The variable that holds the number of the task's PMI socket. */
    public static final String PMI_FD = "PMI_FD";
    static final String JOB_KEY = "jmpi-job";
    static final String ENDPOINT_KEY = "jmpi-ep-";
    /** Bound on finalize at close: the job is over, the server may be gone. */
    private static final long FINALIZE_MILLIS = 2000;

    private final PmiClient pmi;
    private final int rank;
    private final int size;
    private final int localRank;
    private final long jobId;
    private final byte[] secret;
    private final InetAddress advertise;
    private final String kvs;
    private final long timeoutMillis;
    private final ExecutorService worker;
    private final BootstrapLifecycle life = new BootstrapLifecycle();

    /**
     * Opens {@code PMI_FD} and joins the job.
     *
     * @throws MpiException ARG for a bad environment, STATE when the descriptor cannot be used from Java, IO or
     *                      PROTOCOL when PMI fails, TIMEOUT when the other tasks do not arrive in time
     */
    public static PmiBootstrap connect(Config config, Map<String, String> environment) {
        String text = environment.get(PMI_FD);
        int fd;
        try {
            fd = Integer.parseInt(text == null ? "" : text.trim());
        } catch (NumberFormatException e) {
            fd = -1;
        }
        if (fd < 0) throw new MpiException(ErrorClass.ARG, "bootstrap: " + PMI_FD + "=" + text + " is not a descriptor number");
        String name = PMI_FD + "=" + fd;
        FileDescriptor d = InheritedFd.adopt(fd, name);
        PmiClient client = new PmiClient(new FileInputStream(d), new FileOutputStream(d), name);
        return new PmiBootstrap(client, config, environment);
    }

    /** Joins the job over {@code client} (tests give one connected to a fake server). */
    PmiBootstrap(PmiClient client, Config config, Map<String, String> env) {
        this.pmi = client;
        this.size = identity(env, "PMI_SIZE", "SLURM_NTASKS", 1, RankEnvironment.MAX_SIZE, true);
        this.rank = identity(env, "PMI_RANK", "SLURM_PROCID", 0, size - 1, true);
        int local = identity(env, "SLURM_LOCALID", "MPI_LOCALRANKID", 0, size - 1, false);
        this.localRank = Math.max(local, 0);
        this.timeoutMillis = TimeUnit.SECONDS.toMillis(config.get(Config.CONNECT_TIMEOUT));
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jmpi-pmi");
            t.setDaemon(true);
            return t;
        });
        try {
            timed("init", () -> {
                pmi.init();
                return null;
            });
            PmiClient.Maxes maxes = timed("get_maxes", pmi::maxes);
            if (maxes.valueMax() < 100 || maxes.keyMax() < ENDPOINT_KEY.length() + 5) {
                throw new MpiException(ErrorClass.PROTOCOL, "bootstrap: the PMI server allows keys of " + maxes.keyMax()
                        + " and values of " + maxes.valueMax() + " bytes; jmpi needs 16 and 100");
            }
            this.kvs = timed("get_my_kvsname", pmi::kvsName);
            String job = shareJobIdentity();
            this.jobId = Long.parseUnsignedLong(job.substring(0, job.indexOf('-')), 16);
            this.secret = unhex(job.substring(job.indexOf('-') + 1));
            this.advertise = BindAddress.select(config.get(Config.BIND), defaultAddress(env, size));
        } catch (RuntimeException e) {
            worker.shutdownNow();
            pmi.close();
            throw e;
        }
    }

    /** Fence 1: rank 0 makes the job id and secret; everyone reads them after the barrier. */
    private String shareJobIdentity() {
        if (rank == 0) {
            String value = Long.toHexString(HandshakeDescriptor.newJobId()) + "-"
                    + RankEnvironment.hex(HandshakeDescriptor.newSecret());
            timed("put", () -> {
                pmi.put(kvs, JOB_KEY, value);
                return null;
            });
        }
        timed("barrier", () -> {
            pmi.barrier();
            return null;
        });
        String job = timed("get", () -> pmi.get(kvs, JOB_KEY));
        if (job == null || !job.matches("[0-9a-f]{1,16}-([0-9a-f]{2}){16,}")) {
            throw new MpiException(ErrorClass.PROTOCOL, "bootstrap: rank " + rank + ": the PMI key-value space has "
                    + (job == null ? "no " + JOB_KEY + " entry" : "a malformed " + JOB_KEY + " entry")
                    + " after the first barrier (is every task a jmpi program?)");
        }
        return job;
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    /** Index of this rank among the ranks on its node ({@code SLURM_LOCALID}). */
    public int localRank() {
        return localRank;
    }

    @Override
    public long jobId() {
        return jobId;
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public InetAddress advertiseAddress() {
        return advertise;
    }

    @Override
    public Endpoint[] exchange(Endpoint mine) {
        life.admitExchange(mine, rank);
        String value = mine.encode().replace(' ', ',');
        timed("put", () -> {
            pmi.put(kvs, ENDPOINT_KEY + rank, value);
            return null;
        });
        timed("barrier", () -> {
            pmi.barrier();
            return null;
        });
        Endpoint[] table = new Endpoint[size];
        for (int r = 0; r < size; r++) {
            int peer = r;
            String v = r == rank ? value : timed("get", () -> pmi.get(kvs, ENDPOINT_KEY + peer));
            if (v == null) {
                throw new MpiException(ErrorClass.PROTOCOL, "exchange: rank " + r + " published no endpoint in the PMI "
                        + "key-value space " + kvs);
            }
            Endpoint e;
            try {
                e = Endpoint.decode(v.replace(',', ' '));
            } catch (RuntimeException ex) {
                throw new MpiException(ErrorClass.PROTOCOL, "exchange: bad endpoint of rank " + r + ": " + v, ex);
            }
            if (e.rank() != r) {
                throw new MpiException(ErrorClass.PROTOCOL, "exchange: the endpoint under rank " + r + " is for rank "
                        + e.rank());
            }
            table[r] = e;
        }
        return table;
    }

    /** No launcher to tell: srun reports the task's exit, and the dying JVM's output says why. */
    @Override
    public void reportFailure(String reason) {
    }

    @Override
    public void abort(int code, String reason) {
        BootstrapLifecycle.announceAbort(rank, code, reason);
        System.err.flush(); // before the PMI server kills the step
        System.out.flush();
        life.close();
        pmi.abort(code, reason);
        BootstrapLifecycle.halt(code);
    }

    @Override
    public void close() {
        if (!life.close()) return;
        try {
            worker.submit(pmi::finalizeJob).get(FINALIZE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // the job is over; a PMI server that does not answer changes nothing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            worker.shutdownNow();
            pmi.close();
        }
    }

    /**
     * Runs a blocking PMI call on the worker thread, waiting at most {@code connectTimeout}: a barrier waits for
     * every task, and a task that never arrives must not hang this one forever.
     */
    private <T> T timed(String what, Supplier<T> call) {
        Future<T> f = worker.submit(call::get);
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new MpiException(ErrorClass.TIMEOUT, "bootstrap: rank " + rank + ": PMI " + what + " did not complete "
                    + "within " + timeoutMillis / 1000 + " s (connectTimeout); a task did not start or did not reach init", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MpiException(ErrorClass.STATE, "bootstrap: interrupted during PMI " + what, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof MpiException) {
                MpiException m = (MpiException) c;
                throw new MpiException(m.errorClass(), "bootstrap: rank " + rank + ": " + m.getMessage(), m);
            }
            throw new MpiException(ErrorClass.IO, "bootstrap: rank " + rank + ": PMI " + what + " failed: " + c, c);
        }
    }

    /**
     * A value of the job's identity: {@code primary} if set, else {@code fallback}; -1 when neither is and the value
     * is optional.
     */
    private static int identity(Map<String, String> env, String primary, String fallback, int min, int max,
                                boolean required) {
        String name = env.get(primary) != null ? primary : env.get(fallback) != null ? fallback : null;
        if (name == null) {
            if (!required) return -1;
            throw new MpiException(ErrorClass.ARG, "bootstrap: neither " + primary + " nor " + fallback
                    + " is set (start the job with srun --mpi=pmi2)");
        }
        String text = env.get(name).trim();
        int v;
        try {
            v = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new MpiException(ErrorClass.ARG, "bootstrap: " + name + "=" + text + " is not an integer; allowed ["
                    + min + ", " + max + "]");
        }
        if (v < min || v > max) {
            throw new MpiException(ErrorClass.ARG, "bootstrap: " + name + "=" + text + " out of range [" + min + ", "
                    + max + "]");
        }
        return v;
    }

    /**
     * The address to advertise when the {@code bind} setting is empty: toward another node of the step, else toward
     * srun's host, else loopback when every rank is on this node (or the job has one rank), else the first address
     * of an interface that is up.
     */
    static InetAddress defaultAddress(Map<String, String> env, int size) {
        if (size == 1) return InetAddress.getLoopbackAddress();
        String list = firstSet(env, "SLURM_STEP_NODELIST", "SLURM_NODELIST", "SLURM_JOB_NODELIST");
        String me = firstSet(env, "SLURMD_NODENAME");
        if (me == null) me = hostname();
        if (list != null) {
            List<String> others = new ArrayList<>();
            for (String n : HostList.expand(list)) {
                if (!n.equals(me) && !others.contains(n)) others.add(n);
            }
            if (others.isEmpty()) return InetAddress.getLoopbackAddress();
            for (String node : others.subList(0, Math.min(others.size(), 3))) {
                try {
                    return BindAddress.toward(InetAddress.getByName(node));
                } catch (IOException | RuntimeException e) {
                    // not resolvable or not routable from here: try the next, then srun's host
                }
            }
        }
        String srunHost = firstSet(env, "SLURM_SRUN_COMM_HOST");
        if (srunHost != null) {
            try {
                return BindAddress.toward(InetAddress.getByName(srunHost));
            } catch (IOException | RuntimeException e) {
                // fall through
            }
        }
        for (InetAddress a : BindAddress.localAddresses()) {
            if (!a.isLoopbackAddress() && !a.isLinkLocalAddress() && a instanceof Inet4Address) return a;
        }
        return InetAddress.getLoopbackAddress();
    }

    private static String firstSet(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) return v.trim();
        }
        return null;
    }

    private static String hostname() {
        return io.jmpi.base.Platform.hostname(false);
    }

    private static byte[] unhex(String text) {
        byte[] b = new byte[text.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        return b;
    }
}
