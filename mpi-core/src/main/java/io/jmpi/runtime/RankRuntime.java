package io.jmpi.runtime;

import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.bootstrap.Bootstrap;
import io.jmpi.bootstrap.ControlProtocol;
import io.jmpi.bootstrap.Endpoint;
import io.jmpi.bootstrap.HostIdentity;
import io.jmpi.engine.Engine;
import io.jmpi.transport.BackendProvider;
import io.jmpi.transport.Link;
import io.jmpi.transport.Transport;
import io.jmpi.transport.TransportContext;
import io.jmpi.transport.TransportProvider;
import io.jmpi.transport.local.LocalFabric;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The composition root of a rank: builds its engine from a bootstrap and the transports that
 * {@link ServiceLoader} finds, so that the API never names a transport. Three ways in: a process rank
 * ({@link #start(Bootstrap, Config)}), a rank on a foreign runtime ({@link #startBackend}), and a thread rank of an
 * in-JVM job ({@link #startThread}).
 *
 * @param engine    the rank's engine, its progress agent started
 * @param bootstrap the control channel to the launcher, or null for a thread rank
 * @param hostIds   host identity of every world rank (equal for ranks that share a machine)
 * @param job       the in-JVM job of a thread rank, or null
 * @param sharedMemory whether the shm transport connects this rank to at least one peer (then its segments, and
 *                  those of the shared-memory collectives, live in {@code shmDir} under the bootstrap's job id)
 * @param timings   start-up phases (setting {@code initTimings}), printed at the end of init and at close
 */
public record RankRuntime(Engine engine, Bootstrap bootstrap, String[] hostIds, ThreadJob job, boolean sharedMemory,
                          InitTimings timings) {
    /** How long a hang diagnosis waits for the progress lock before saying a thread holds it. */
    public static final long DIAGNOSE_LOCK_MILLIS = 1000;

    /**
     * A rank process: listens on every allowed transport, exchanges endpoints through the bootstrap, connects the
     * network transport to every peer (with TCP's default connections=lazy that only records the table: pairs connect
     * on first use) and each other transport to the peers it reaches (the network one then only watches those, or
     * leaves them alone), and starts the engine.
     */
    public static RankRuntime start(Bootstrap bootstrap, Config config) {
        return start(bootstrap, config, InitTimings.off());
    }

    /** {@link #start(Bootstrap, Config)}, recording its phases in {@code timings}. */
    public static RankRuntime start(Bootstrap bootstrap, Config config, InitTimings timings) {
        int rank = bootstrap.rank();
        int size = bootstrap.size();
        String choice = config.get(Config.TRANSPORT);
        List<Transport> transports = new ArrayList<>();
        Link[] links = new Link[size];
        Endpoint[] table;
        Endpoint mine;
        boolean shm = false;
        try {
            Transport network = null;
            List<Transport> others = new ArrayList<>();
            int port = 0;
            if (size > 1) {
                TransportContext ctx = new TransportContext(rank, size, bootstrap.jobId(), bootstrap.secret(),
                        bootstrap.advertiseAddress(), config);
                for (TransportProvider p : providers()) {
                    if (!p.network() && !(choice.equals("auto") || choice.equals(p.name()))) continue;
                    Transport t = p.create();
                    transports.add(t);
                    int listened = t.listen(ctx);
                    if (p.network() && network == null) {
                        network = t;
                        port = listened;
                    } else {
                        others.add(t);
                    }
                }
                if (network == null) throw new MpiException(ErrorClass.STATE, "init: no network transport on the class path");
            }
            timings.mark("listen");
            mine = new Endpoint(rank, bootstrap.advertiseAddress().getHostAddress(), port,
                    testHost(HostIdentity.hostId(config), config.get(Config.TEST_HOSTS), rank, size),
                    ProcessHandle.current().pid());
            table = bootstrap.exchange(mine);
            timings.mark("exchange");
            if (network != null) {
                int[] peers = others(rank, size);
                network.connect(table, peers);
                for (int p : peers) links[p] = network.link(p);
                for (Transport t : others) {
                    // plain loops, no streams or lambdas: each first use costs a rank JVM class loading and linking
                    int[] reached = new int[peers.length];
                    int n = 0;
                    int far = -1;
                    for (int p : peers) {
                        if (t.reaches(mine, table[p])) {
                            reached[n++] = p;
                        } else if (far < 0) {
                            far = p;
                        }
                    }
                    reached = java.util.Arrays.copyOf(reached, n);
                    if (choice.equals(t.name()) && far >= 0) {
                        throw new MpiException(ErrorClass.ARG, "init: transport=" + choice + " but rank " + far
                                + " cannot be reached by it (it runs on " + table[far].host() + "); use transport=auto");
                    }
                    t.connect(table, reached);
                    if (t.name().equals("shm") && reached.length > 0) shm = true;
                    for (int p : reached) links[p] = t.link(p);
                    network.watchOnly(reached);
                }
            }
            timings.mark("connect");
        } catch (RuntimeException e) {
            for (Transport t : transports) t.close();
            bootstrap.reportFailure("init failed: " + e.getMessage());
            throw e;
        }
        Engine engine = new Engine(rank, size, transports.toArray(new Transport[0]), links, config,
                localRanks(table, HostIdentity.hostId(config)));
        // the launcher hears of a lost peer at once, so it names the rank that failed, not those that saw it fail
        engine.onPeerFailure((peer, why) -> bootstrap.reportFailure(ControlProtocol.lostPeer(peer, why)));
        bootstrap.onDiagnose(() -> engine.diagnose(DIAGNOSE_LOCK_MILLIS));
        engine.startAgent();
        timings.mark("engine");
        Transport[] all = transports.toArray(new Transport[0]);
        timings.countConnectionsWith(() -> {
            int n = 0;
            for (Transport t : all) n += t.connections();
            return n;
        });
        return new RankRuntime(engine, bootstrap, hostIds(table), null, shm, timings);
    }

    /** A rank on a foreign runtime (e.g. MPJ Express) through its {@link BackendProvider}, chosen by name. */
    public static RankRuntime startBackend(String name, Config config) {
        BackendProvider provider = null;
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.name().equals(name)) provider = p;
        }
        if (provider == null) {
            String hint = name.equals("mpj")
                    ? ": the MPJ Express backend (mpi-mpj module) is not on the class path; install MPJ Express with "
                    + "'apt-get install libmpj-java' (or cluster-config/install-deps.sh --mpj) and rebuild, or run without --backend mpj"
                    : "";
            throw new MpiException(ErrorClass.ARG, "init: backend=" + name + " is not available" + hint);
        }
        Bootstrap b = provider.bootstrap(config);
        Transport t = provider.transport();
        int rank = b.rank(), size = b.size();
        t.listen(new TransportContext(rank, size, b.jobId(), b.secret(), b.advertiseAddress(), config));
        Endpoint mine = new Endpoint(rank, b.advertiseAddress().getHostAddress(), 0, HostIdentity.hostId(config),
                ProcessHandle.current().pid());
        Endpoint[] table = b.exchange(mine);
        int[] peers = others(rank, size);
        t.connect(table, peers);
        Link[] links = new Link[size];
        for (int p : peers) links[p] = t.link(p);
        Engine engine = new Engine(rank, size, new Transport[]{t}, links, config, localRanks(table, mine.hostId()));
        engine.startAgent();
        return new RankRuntime(engine, b, hostIds(table), null, false, InitTimings.off());
    }

    /** Rank {@code rank} of an in-JVM job: one transport over the job's shared fabric. */
    public static RankRuntime startThread(ThreadJob job, int rank, Config config) {
        LocalFabric fabric = job.fabric();
        int size = fabric.size();
        Transport t = fabric.transport(rank);
        int[] peers = others(rank, size);
        t.connect(null, peers);
        Link[] links = new Link[size];
        for (int p : peers) links[p] = t.link(p);
        Engine engine = new Engine(rank, size, new Transport[]{t}, links, config, size);
        fabric.register(rank, engine::abort);
        String[] hosts = new String[size];
        java.util.Arrays.fill(hosts, HostIdentity.hostId(config));
        return new RankRuntime(engine, null, hosts, job, false, InitTimings.off());
    }

    /**
     * Ends the whole job with {@code code} ({@code MPI_Abort}): a thread job fails every rank with {@code cause} (and
     * this throws it); a process rank tells the launcher {@code reason} and halts its JVM.
     */
    public void abort(int code, String reason, MpiException cause) {
        if (job != null) {
            job.fabric().abort(cause);
            throw cause;
        }
        if (bootstrap != null) bootstrap.abort(code, reason);
        Runtime.getRuntime().halt(code);
    }

    /** Closes the engine (goodbyes to every peer), then the control channel. */
    public void close() {
        long t0 = timings.closing();
        int connections = timings.connections();
        engine.close();
        if (bootstrap != null) bootstrap.close();
        timings.closed(engine.rank(), t0, connections);
    }

    private static List<TransportProvider> providers() {
        List<TransportProvider> list = new ArrayList<>();
        for (TransportProvider p : ServiceLoader.load(TransportProvider.class, RankRuntime.class.getClassLoader())) list.add(p);
        // highest preference first (insertion sort of a handful, without a Comparator's lambdas)
        for (int i = 1; i < list.size(); i++) {
            TransportProvider p = list.get(i);
            int j = i;
            for (; j > 0 && list.get(j - 1).preference() < p.preference(); j--) list.set(j, list.get(j - 1));
            list.set(j, p);
        }
        return list;
    }

    /**
     * The host identity a rank publishes: {@code real}, or with the setting testHosts (tests only) {@code real} plus
     * this rank's label, so that ranks of one machine with different labels look like ranks of different hosts.
     */
    static String testHost(String real, String labels, int rank, int size) {
        if (labels.isEmpty()) return real;
        String[] l = labels.split(",");
        if (l.length != size) {
            throw new MpiException(ErrorClass.ARG, "init: testHosts has " + l.length + " labels, but the job has "
                    + size + " ranks (one label per world rank)");
        }
        return real + TEST_LABEL + l[rank];
    }

    private static final String TEST_LABEL = "-test-";

    /**
     * The ranks running on this machine ({@code machine}: its real host identity), which share its cores: those whose
     * published identity is {@code machine}, or {@code machine} plus a testHosts label. The idle strategy decides from
     * this whether a waiter may spin; counting only the ranks of one label (4 ranks as a,a,b,b on 2 cores: 2 per
     * "host") made every waiter spin 20 000 polls on a machine with more ranks than cores, holding the core its peer
     * needed, and flat collectives took a scheduler quantum per step (allreduce 8 B p50 2.1 ms instead of 34 us).
     */
    static int localRanks(Endpoint[] table, String machine) {
        int n = 0;
        for (Endpoint e : table) {
            String h = e.hostId();
            if (h.equals(machine) || h.startsWith(machine + TEST_LABEL)) n++;
        }
        return n;
    }

    private static String[] hostIds(Endpoint[] table) {
        String[] hosts = new String[table.length];
        for (int p = 0; p < table.length; p++) hosts[p] = table[p].hostId();
        return hosts;
    }

    private static int[] others(int rank, int size) {
        int[] peers = new int[size - 1];
        for (int p = 0, i = 0; p < size; p++) if (p != rank) peers[i++] = p;
        return peers;
    }
}
