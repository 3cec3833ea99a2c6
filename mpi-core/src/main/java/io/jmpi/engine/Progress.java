package io.jmpi.engine;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.transport.Link;
import io.jmpi.transport.Transport;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Who drives progress, and how failures on the way reach the program. A thread that waits polls the transports
 * itself ({@code tryLock}) and idles with an {@link IdleStrategy} when there is nothing to do; a background agent
 * polls with a long period while no thread waits, for asynchronous progress.
 *
 * <p>Nothing raised while polling is swallowed: a failure that concerns one peer ({@link PeerFailure}: an invalid
 * frame, a link that refuses frames) takes that peer's failure path, so operations involving it fail; anything else
 * aborts the engine, so every waiting thread gets the exception instead of waiting forever.
 */
final class Progress {
    private final Engine engine;
    private final ReentrantLock lock;
    private final Transport[] transports;
    private final Link[] links;
    private final Outbound outbound;
    private final IdleStrategy idle;
    private final AtomicInteger waiters = new AtomicInteger();
    private volatile long lastWait;
    private volatile boolean stopped;
    private Thread agent;
    /** The transport being polled by the lock holder, or null. */
    private Transport polling;

    Progress(Engine engine, ReentrantLock lock, Transport[] transports, Link[] links, Outbound outbound, IdleStrategy idle) {
        this.engine = engine;
        this.lock = lock;
        this.transports = transports;
        this.links = links;
        this.outbound = outbound;
        this.idle = idle;
    }

    void startAgent(int rank) {
        agent = new Thread(this::agentLoop, "jmpi-progress-" + rank);
        agent.setDaemon(true);
        agent.start();
    }

    void stopAgent() {
        stopped = true;
        Thread a = agent;
        if (a != null) LockSupport.unpark(a);
    }

    /** Threads waiting in the engine now (for diagnosis: a rank with none is computing). */
    int waiters() {
        return waiters.get();
    }

    /**
     * The agent polls only while the program is away from MPI (computing): while a thread waits, or has waited in
     * the last millisecond, the waiter makes progress and an agent waking on a busy core would only delay it.
     */
    private void agentLoop() {
        long park = 50_000;
        while (!stopped) {
            int work = 0;
            if (waiters.get() == 0 && System.nanoTime() - lastWait > 1_000_000) work = progress();
            if (work > 0) {
                park = 50_000;
            } else {
                LockSupport.parkNanos(park);
                park = Math.min(park * 2, 1_000_000);
            }
        }
    }

    /** Waits for {@code op}, driving progress. */
    void await(Operation op) {
        waiters.incrementAndGet();
        op.setWaiter(Thread.currentThread());
        try {
            int step = 0;
            while (!op.isDone()) {
                int work = progress();
                if (op.isDone()) break;
                if (work > 0) step = 0; else step = idle.idle(step);
            }
        } finally {
            op.setWaiter(null);
            lastWait = System.nanoTime();
            waiters.decrementAndGet();
        }
    }

    /** One step of the idle strategy (for blocking probes, which wait for no operation). */
    int idle(int step) {
        return idle.idle(step);
    }

    /** One round of progress if no other thread is making it; returns work done. */
    int progress() {
        if (!lock.tryLock()) return 0;
        try {
            return round();
        } finally {
            lock.unlock();
        }
    }

    /** Polls every transport and pumps pending peers; a failure is routed (see the class comment). Lock held. */
    private int round() {
        try {
            int work = 0;
            for (Transport t : transports) work += poll(t);
            if (outbound.anyPending()) work += outbound.pumpPending();
            return work;
        } catch (PeerFailure e) {
            engine.onPeerLost(e.peer, false, e.getMessage());
            return 1;
        } catch (MpiException e) {
            engine.abort(e);
            return 1;
        } catch (RuntimeException e) {
            engine.abort(new MpiException(ErrorClass.OTHER, "progress failed: " + e, e));
            return 1;
        }
    }

    /** Polls one transport, remembering which one is polling (so a loss it reports does not poll it again). */
    private int poll(Transport t) {
        polling = t;
        try {
            return t.poll(engine);
        } finally {
            polling = null;
        }
    }

    /**
     * A connection that only watches a peer's liveness (its data travels through shared memory) ended: take in
     * what that peer wrote to the other transports before it closed, so its goodbye is seen before its end.
     */
    void drainOthers(int peer) {
        Link l = links[peer];
        for (Transport t : transports) {
            // the transport whose poll reported the loss is not polled again from inside that poll
            if (t.link(peer) == l && t != polling) t.poll(engine);
        }
    }

    /** Makes progress until {@code cond} holds (true), the deadline passes or the engine is aborted (false). */
    boolean waitUntil(BooleanSupplier cond, long deadline) {
        int step = 0;
        waiters.incrementAndGet();
        try {
            while (true) {
                lock.lock();
                boolean ok;
                try {
                    round();
                    ok = cond.getAsBoolean();
                } finally {
                    lock.unlock();
                }
                if (ok) return true;
                if (System.nanoTime() > deadline || engine.abortCause() != null) return false;
                step = idle.idle(step);
            }
        } finally {
            waiters.decrementAndGet();
        }
    }
}
