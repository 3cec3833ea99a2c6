package io.jmpi.bootstrap;

import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.wire.HandshakeDescriptor;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The bootstrap of a task of {@code srun} without PMI ({@code --mpi=none}, or {@code pmix}, whose server jmpi does not
 * speak): rank and size from {@code SLURM_PROCID}/{@code SLURM_STEP_NUM_TASKS} (else {@code SLURM_NTASKS}).
 * Rank 0 draws the job id and secret, listens on an ephemeral port of its advertised address and publishes both in a
 * user-only file on the (shared) home directory, {@code ~/.jmpi/slurm/<jobid>.<stepid>} ({@link SlurmRendezvousFile});
 * every other task polls for that file,
 * connects to rank 0 and authenticates with the secret exactly as a rank authenticates to jmpirun
 * ({@link HandshakeDescriptor}, kind {@code KIND_LAUNCHER}, mutual). Rank 0 deletes the file once every task is in.
 * {@link #exchange} is then an all-gather through rank 0 over those connections ({@link ControlProtocol}'s
 * {@code ENDPOINT} and {@code TABLE} lines), after which they are closed.
 *
 * <p>The file is matched to this run of the step by its incarnation line (job, step, srun's host and port): a file
 * left by an earlier run of the same job and step (a requeued job) is not used, a reader waits for the new one.
 * As with PMI there is no supervisor: srun reports a task's exit and {@code srun -K} ends the others; {@link #abort}
 * prints why and halts this task.
 */
public final class SlurmBootstrap implements Bootstrap {
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private final int rank;
    private final int size;
    private final int localRank;
    private final long jobId;
    private final byte[] secret;
    private final InetAddress advertise;
    private final long deadlineNanos;
    private final String incarnation;
    private final SlurmRendezvousFile file;
    private final BootstrapLifecycle life = new BootstrapLifecycle();
    /** Rank 0: the listening socket and one authenticated connection per other rank. */
    private final ServerSocket server;
    private final Socket[] peers;
    private volatile int admitted;
    /** Other ranks: the connection to rank 0. */
    private final Socket toRoot;

    /** Joins the step described by {@code environment}, with the file in {@code ~/.jmpi/slurm}. */
    public static SlurmBootstrap connect(Config config, Map<String, String> environment) {
        return new SlurmBootstrap(config, environment, SlurmRendezvousFile.defaultDir());
    }

    /**
     * @throws MpiException ARG for a bad environment or a file that is not private, IO when the file cannot be
     *                      written or rank 0 not reached, TIMEOUT when rank 0 does not publish within connectTimeout
     */
    SlurmBootstrap(Config config, Map<String, String> env, Path dir) {
        this.size = intVar(env, env.containsKey("SLURM_STEP_NUM_TASKS") ? "SLURM_STEP_NUM_TASKS" : "SLURM_NTASKS", 1,
                RankEnvironment.MAX_SIZE, true);
        this.rank = intVar(env, "SLURM_PROCID", 0, size - 1, true);
        this.localRank = Math.max(intVar(env, "SLURM_LOCALID", 0, size - 1, false), 0);
        long job = intVar(env, "SLURM_JOB_ID", 0, Integer.MAX_VALUE, true);
        long step = intVar(env, "SLURM_STEP_ID", 0, Integer.MAX_VALUE, true);
        String jobStep = job + "." + step;
        this.incarnation = jobStep + " " + env.getOrDefault("SLURM_SRUN_COMM_HOST", "-").trim() + ":"
                + env.getOrDefault("SLURM_SRUN_COMM_PORT", "-").trim();
        this.file = new SlurmRendezvousFile(dir, jobStep);
        this.deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.get(Config.CONNECT_TIMEOUT));
        this.advertise = BindAddress.select(config.get(Config.BIND), PmiBootstrap.defaultAddress(env, size));
        if (rank == 0) {
            this.jobId = HandshakeDescriptor.newJobId();
            this.secret = HandshakeDescriptor.newSecret();
            this.peers = new Socket[size];
            this.toRoot = null;
            this.server = listen();
            try {
                file.write(new SlurmRendezvousFile.Content(incarnation, jobId, secret, advertise.getHostAddress(),
                        server.getLocalPort()));
            } catch (RuntimeException e) {
                closeQuietly(server);
                throw e;
            }
            if (size == 1) file.deleteIfCurrent(incarnation);
            Thread t = new Thread(this::acceptLoop, "jmpi-slurm-accept");
            t.setDaemon(true);
            t.start();
        } else {
            this.server = null;
            this.peers = null;
            SlurmRendezvousFile.Content c = awaitFile();
            this.jobId = c.jobId();
            this.secret = c.secret();
            this.toRoot = connectToRoot(c);
        }
    }

    private ServerSocket listen() {
        try {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(advertise, 0), Math.min(size, 4096) + 16);
            return s;
        } catch (IOException e) {
            throw new MpiException(ErrorClass.IO, "bootstrap: rank 0 cannot listen on " + advertise.getHostAddress()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Rank 0: admits each other rank once; a stranger or a second connection for a rank is closed. */
    private void acceptLoop() {
        while (!life.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread t = new Thread(() -> admit(s), "jmpi-slurm-handshake");
            t.setDaemon(true);
            t.start();
        }
    }

    private void admit(Socket s) {
        try {
            s.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
            HandshakeDescriptor.Peer p = HandshakeDescriptor.server(new DataInputStream(s.getInputStream()),
                    new DataOutputStream(s.getOutputStream()), secret, jobId, -1, size);
            if (p.kind() != HandshakeDescriptor.KIND_LAUNCHER || p.fromRank() == 0) {
                closeQuietly(s);
                return;
            }
            synchronized (this) {
                if (peers[p.fromRank()] != null || life.isClosed()) {
                    closeQuietly(s);
                    return;
                }
                peers[p.fromRank()] = s;
                admitted++;
                if (admitted == size - 1) file.deleteIfCurrent(incarnation); // everyone has read it
                notifyAll();
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(s); // not a task of this step: refused, the step goes on
        }
    }

    /** Other ranks: polls for rank 0's file of this run of the step until the deadline. */
    private SlurmRendezvousFile.Content awaitFile() {
        long pause = 10;
        while (true) {
            SlurmRendezvousFile.Content c = file.readIfCurrent(incarnation);
            if (c != null) return c;
            if (System.nanoTime() > deadlineNanos) {
                throw new MpiException(ErrorClass.TIMEOUT, "bootstrap: rank " + rank + ": rank 0 of Slurm step "
                        + incarnation + " published no rendezvous file " + file.path() + " within the connectTimeout "
                        + "(did rank 0 start? is the home directory shared between the nodes?)");
            }
            sleep(pause);
            pause = Math.min(pause * 2, 200);
        }
    }

    /** Connects and authenticates to rank 0; retries while rank 0 is not listening yet, until the deadline. */
    private Socket connectToRoot(SlurmRendezvousFile.Content c) {
        Exception last = null;
        long pause = 20;
        do {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(c.host(), c.port()), 2000);
                s.setTcpNoDelay(true);
                s.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
                HandshakeDescriptor.client(new DataInputStream(s.getInputStream()),
                        new DataOutputStream(s.getOutputStream()), secret, jobId, HandshakeDescriptor.KIND_LAUNCHER,
                        rank, -1);
                return s;
            } catch (IOException | RuntimeException e) {
                last = e;
                closeQuietly(s);
            }
            sleep(pause);
            pause = Math.min(pause * 2, 500);
        } while (System.nanoTime() < deadlineNanos);
        throw new MpiException(ErrorClass.IO, "bootstrap: rank " + rank + " cannot reach rank 0 of the Slurm step at "
                + RankEnvironment.formatHostPort(c.host(), c.port()) + ": " + last, last);
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
        try {
            return rank == 0 ? gather(mine) : publish(mine);
        } catch (SocketTimeoutException e) {
            throw new MpiException(ErrorClass.TIMEOUT, "exchange: rank " + rank + ": no endpoint table within the "
                    + "connectTimeout; a task did not start or did not reach init", e);
        } catch (IOException e) {
            throw new MpiException(ErrorClass.IO, "exchange: rank " + rank + ": connection to rank "
                    + (rank == 0 ? "s" : "0") + " failed: " + e, e);
        } finally {
            closeConnections();
        }
    }

    /** Rank 0: waits for every rank, reads each one's endpoint, sends the table to all. */
    private Endpoint[] gather(Endpoint mine) throws IOException {
        Endpoint[] table = new Endpoint[size];
        table[0] = mine;
        synchronized (this) {
            while (admitted < size - 1) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    throw new MpiException(ErrorClass.TIMEOUT, "exchange: rank 0: only " + admitted + " of "
                            + (size - 1) + " other tasks connected within the connectTimeout; a task did not start "
                            + "or did not reach init");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MpiException(ErrorClass.STATE, "exchange: interrupted while waiting for the tasks", e);
                }
            }
        }
        for (int r = 1; r < size; r++) {
            Socket s = peers[r];
            s.setSoTimeout(remainingMillis());
            String line = ControlProtocol.readLine(new BufferedInputStream(s.getInputStream(), 1));
            Endpoint e = line == null || !ControlProtocol.ENDPOINT.equals(ControlProtocol.verb(line)) ? null
                    : decode(ControlProtocol.rest(line), r);
            if (e == null) {
                throw new MpiException(ErrorClass.PROTOCOL, "exchange: rank " + r + " sent no endpoint: " + line);
            }
            table[r] = e;
        }
        StringBuilder sb = new StringBuilder(ControlProtocol.TABLE).append(' ').append(size).append('\n');
        for (Endpoint e : table) sb.append(e.encode()).append('\n');
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        for (int r = 1; r < size; r++) {
            peers[r].getOutputStream().write(bytes);
            peers[r].getOutputStream().flush();
        }
        return table;
    }

    /** Other ranks: sends this rank's endpoint to rank 0 and reads the table. */
    private Endpoint[] publish(Endpoint mine) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(toRoot.getOutputStream()));
        ControlProtocol.writeLine(out, ControlProtocol.ENDPOINT + " " + mine.encode());
        toRoot.setSoTimeout(remainingMillis());
        DataInputStream in = new DataInputStream(new BufferedInputStream(toRoot.getInputStream()));
        String header = ControlProtocol.readLine(in);
        if (header == null || !header.equals(ControlProtocol.TABLE + " " + size)) {
            throw new MpiException(ErrorClass.PROTOCOL, "exchange: rank " + rank + ": expected '" + ControlProtocol.TABLE
                    + " " + size + "' from rank 0, got " + (header == null ? "the end of the connection" : header));
        }
        Endpoint[] table = new Endpoint[size];
        for (int r = 0; r < size; r++) {
            String line = ControlProtocol.readLine(in);
            table[r] = line == null ? null : decode(line, r);
            if (table[r] == null) throw new MpiException(ErrorClass.PROTOCOL, "exchange: table cut short at rank " + r);
        }
        return table;
    }

    private static Endpoint decode(String text, int rank) {
        Endpoint e;
        try {
            e = Endpoint.decode(text);
        } catch (RuntimeException ex) {
            throw new MpiException(ErrorClass.PROTOCOL, "exchange: bad endpoint of rank " + rank + ": " + text, ex);
        }
        if (e.rank() != rank) {
            throw new MpiException(ErrorClass.PROTOCOL, "exchange: the endpoint for rank " + rank + " names rank "
                    + e.rank());
        }
        return e;
    }

    private int remainingMillis() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
    }

    /** No launcher to tell: srun reports the task's exit, and the dying JVM's output says why. */
    @Override
    public void reportFailure(String reason) {
    }

    /** Prints why and halts this task; {@code srun -K} (--kill-on-bad-exit) ends the rest of the step. */
    @Override
    public void abort(int code, String reason) {
        BootstrapLifecycle.announceAbort(rank, code, reason);
        life.close();
        closeConnections();
        BootstrapLifecycle.halt(code);
    }

    @Override
    public void close() {
        if (!life.close()) return;
        closeConnections();
    }

    private synchronized void closeConnections() {
        if (server != null) {
            closeQuietly(server);
            file.deleteIfCurrent(incarnation);
            for (Socket s : peers) {
                if (s != null) closeQuietly(s);
            }
        }
        if (toRoot != null) closeQuietly(toRoot);
    }

    private static int intVar(Map<String, String> env, String name, int min, int max, boolean required) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            if (!required) return -1;
            throw new MpiException(ErrorClass.ARG, "bootstrap: " + name + " is not set (not a task of srun?)");
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i >= min && i <= max) return i;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new MpiException(ErrorClass.ARG, "bootstrap: " + name + "=" + v.trim() + " is not an integer in ["
                + min + ", " + max + "]");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MpiException(ErrorClass.STATE, "bootstrap: interrupted while joining the Slurm step", e);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
