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
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The bootstrap of a rank started by jmpirun. It reads its identity from the environment ({@link RankEnvironment}),
 * opens one TCP connection to the launcher, authenticates with the job secret
 * ({@link HandshakeDescriptor#client}, kind {@code KIND_LAUNCHER}, toRank -1) and then speaks the
 * {@link ControlProtocol} on it: {@link #exchange} publishes this rank's endpoint and receives the table of all.
 *
 * <p>The connection stays open for the whole life of the rank as its control channel. One daemon thread reads it;
 * if it ends while this bootstrap is not closed, the launcher is gone (killed, crashed, or it ended the job), and
 * the rank halts at once with {@link #LOST_LAUNCHER_EXIT}: no rank outlives its launcher.
 */
public final class LauncherBootstrap implements Bootstrap {
    /** Exit code of a rank that lost its launcher. */
    public static final int LOST_LAUNCHER_EXIT = 70;
    /** How long a rank retries connecting to a launcher that is not (yet) listening. */
    private static final long CONNECT_RETRY_MILLIS = 10_000;
    /** Bound on each handshake read, so a wedged launcher cannot stall start-up forever. */
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /** Time given to the ABORT line to reach the launcher before this JVM halts. */
    private static final long ABORT_FLUSH_MILLIS = 200;

    private final RankEnvironment env;
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final InetAddress advertise;
    private final int tableTimeoutSeconds;
    private final Runnable onLauncherLost;
    private final CompletableFuture<Endpoint[]> table = new CompletableFuture<>();
    private final BootstrapLifecycle life = new BootstrapLifecycle();

    /**
     * Connects and authenticates to the launcher named in {@code environment}.
     *
     * @throws MpiException ARG for a bad environment or {@code bind} setting, IO when the launcher cannot be reached,
     *                      PROTOCOL when the handshake fails
     */
    public static LauncherBootstrap connect(Config config, Map<String, String> environment) {
        return new LauncherBootstrap(RankEnvironment.parse(environment), config, null);
    }

    /**
     * @param onLauncherLost what to do when the control connection ends unexpectedly; null: print one line and halt
     *                       with {@link #LOST_LAUNCHER_EXIT} (tests pass their own, to keep their JVM alive)
     */
    LauncherBootstrap(RankEnvironment env, Config config, Runnable onLauncherLost) {
        this.env = env;
        this.tableTimeoutSeconds = config.get(Config.CONNECT_TIMEOUT);
        this.onLauncherLost = onLauncherLost != null ? onLauncherLost : this::haltLostLauncher;
        this.socket = connectWithRetry(env);
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            HandshakeDescriptor.client(in, out, env.secret(), env.jobId(), HandshakeDescriptor.KIND_LAUNCHER,
                    env.rank(), -1);
            socket.setSoTimeout(0); // from now on silence is normal: the launcher only speaks once (TABLE)
            advertise = BindAddress.select(config.get(Config.BIND), socket.getLocalAddress());
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            if (e instanceof MpiException) throw (MpiException) e;
            throw new MpiException(ErrorClass.IO, "bootstrap: rank " + env.rank() + ": handshake with launcher "
                    + launcherName() + " failed: " + e, e);
        }
        Thread reader = new Thread(this::readControl, "jmpi-launcher-control");
        reader.setDaemon(true);
        reader.start();
    }

    private static Socket connectWithRetry(RankEnvironment env) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_RETRY_MILLIS);
        IOException last;
        long pause = 20;
        do {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(env.launcherHost(), env.launcherPort()), 2000);
                return s;
            } catch (IOException e) {
                last = e;
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing to release
                }
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pause = Math.min(pause * 2, 500);
        } while (System.nanoTime() < deadline);
        throw new MpiException(ErrorClass.IO, "bootstrap: rank " + env.rank() + " cannot reach its launcher at "
                + RankEnvironment.formatHostPort(env.launcherHost(), env.launcherPort()) + " within "
                + CONNECT_RETRY_MILLIS / 1000 + " s: " + last, last);
    }

    @Override
    public int rank() {
        return env.rank();
    }

    @Override
    public int size() {
        return env.size();
    }

    /** Index of this rank among the ranks on its host. */
    public int localRank() {
        return env.localRank();
    }

    @Override
    public long jobId() {
        return env.jobId();
    }

    @Override
    public byte[] secret() {
        return env.secret();
    }

    @Override
    public InetAddress advertiseAddress() {
        return advertise;
    }

    @Override
    public Endpoint[] exchange(Endpoint mine) {
        life.admitExchange(mine, env.rank());
        send(ControlProtocol.ENDPOINT + " " + mine.encode(), true);
        try {
            return table.get(tableTimeoutSeconds, TimeUnit.SECONDS).clone();
        } catch (TimeoutException e) {
            throw new MpiException(ErrorClass.TIMEOUT, "exchange: no endpoint table from the launcher within "
                    + tableTimeoutSeconds + " s (connectTimeout); a rank did not start or did not reach init", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MpiException(ErrorClass.STATE, "exchange: interrupted while waiting for the endpoint table", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof MpiException) {
                MpiException m = (MpiException) c;
                throw new MpiException(m.errorClass(), m.getMessage(), m);
            }
            throw new MpiException(ErrorClass.IO, "exchange: " + c, c);
        }
    }

    private volatile java.util.function.Supplier<java.util.List<String>> diagnosis;

    @Override
    public void onDiagnose(java.util.function.Supplier<java.util.List<String>> diagnosis) {
        this.diagnosis = diagnosis;
    }

    /** Answers the launcher's DIAG: one DIAG line per finding, then DIAGEND. Runs on the control reader. */
    private void answerDiagnosis() {
        java.util.function.Supplier<java.util.List<String>> d = diagnosis;
        java.util.List<String> lines;
        try {
            lines = d == null ? java.util.List.of("in Mpi.init (not connected to its peers yet)") : d.get();
        } catch (RuntimeException e) {
            lines = java.util.List.of("diagnosis failed: " + e);
        }
        synchronized (out) { // the answer's lines stay together
            for (String l : lines) send(ControlProtocol.DIAG + " " + ControlProtocol.oneLine(l), false);
            send(ControlProtocol.DIAGEND, false);
        }
    }

    @Override
    public void reportFailure(String reason) {
        try {
            send(ControlProtocol.FAIL + " " + ControlProtocol.oneLine(reason), false);
        } catch (RuntimeException ignored) {
            // best effort: the rank is dying anyway, and the launcher notices the exit
        }
    }

    @Override
    public void abort(int code, String reason) {
        try {
            send(ControlProtocol.ABORT + " " + code + " " + ControlProtocol.oneLine(reason), false);
            life.close(); // the launcher will drop us now; that is expected, not a lost launcher
            Thread.sleep(ABORT_FLUSH_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ignored) {
            // halt regardless: abort never returns
        }
        BootstrapLifecycle.halt(code);
    }

    @Override
    public void close() {
        if (!life.close()) return;
        try {
            send(ControlProtocol.BYE, false);
        } catch (RuntimeException ignored) {
            // the launcher is gone already; nothing to say goodbye to
        }
        closeQuietly();
    }

    /** Writes a line; {@code fatal}: a failure to write is an error for the caller (else silently ignored). */
    private void send(String line, boolean fatal) {
        try {
            synchronized (out) {
                ControlProtocol.writeLine(out, line);
            }
        } catch (IOException e) {
            if (fatal) {
                throw new MpiException(ErrorClass.IO, "bootstrap: rank " + env.rank() + " cannot write to launcher "
                        + launcherName() + ": " + e.getMessage(), e);
            }
        }
    }

    /** The control-channel reader: receives the TABLE, then watches for the end of the connection. */
    private void readControl() {
        try {
            String line;
            while ((line = ControlProtocol.readLine(in)) != null) {
                String verb = ControlProtocol.verb(line);
                if (ControlProtocol.TABLE.equals(verb)) {
                    readTable(line);
                } else if (ControlProtocol.DIAG.equals(verb)) {
                    answerDiagnosis();
                }
                // other verbs are for later protocol versions; ignoring them keeps old ranks working
            }
        } catch (IOException | RuntimeException e) {
            if (!table.isDone()) {
                table.completeExceptionally(e instanceof MpiException ? e : new MpiException(ErrorClass.IO,
                        "bootstrap: control connection to launcher " + launcherName() + " failed: " + e, e));
            }
        }
        if (!life.isClosed()) {
            table.completeExceptionally(new MpiException(ErrorClass.PROC_FAILED,
                    "bootstrap: launcher " + launcherName() + " closed the control connection"));
            onLauncherLost.run();
        }
    }

    private void readTable(String header) throws IOException {
        int n;
        try {
            n = Integer.parseInt(ControlProtocol.rest(header).trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n != env.size()) {
            throw new MpiException(ErrorClass.PROTOCOL, "bootstrap: bad table header '" + header + "', expected "
                    + ControlProtocol.TABLE + " " + env.size());
        }
        Endpoint[] endpoints = new Endpoint[n];
        for (int i = 0; i < n; i++) {
            String line = ControlProtocol.readLine(in);
            if (line == null) throw new MpiException(ErrorClass.PROC_FAILED, "bootstrap: table cut short at rank " + i);
            Endpoint e;
            try {
                e = Endpoint.decode(line);
            } catch (RuntimeException ex) {
                throw new MpiException(ErrorClass.PROTOCOL, "bootstrap: bad table line " + i + ": " + line, ex);
            }
            if (e.rank() != i) {
                throw new MpiException(ErrorClass.PROTOCOL, "bootstrap: table line " + i + " is for rank " + e.rank());
            }
            endpoints[i] = e;
        }
        table.complete(endpoints);
    }

    private void haltLostLauncher() {
        System.err.println("jmpi: rank " + env.rank() + " lost its launcher; exiting");
        BootstrapLifecycle.halt(LOST_LAUNCHER_EXIT);
    }

    private String launcherName() {
        return RankEnvironment.formatHostPort(env.launcherHost(), env.launcherPort());
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
