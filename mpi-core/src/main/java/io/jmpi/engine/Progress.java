package io.jmpi.engine;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.transport.Link;
import io.jmpi.transport.Transport;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Who drives progress, and how failures on the way reach the program. A thread that waits polls the transports
 * itself ({@code tryLock}) and idles with an {@link IdleStrategy} when there is nothing to do; a background agent
 * polls with a long period while no thread waits, for asynchronous progress.
 *
 * <p>Sleeping (the doorbell). Past its spins and yields, one waiting thread of the rank becomes the <em>sleeper</em>:
 * under the lock it announces on every transport that it will sleep ({@link Transport#announceSleep}), polls once
 * more (a frame published before the announcement is seen by that poll; one published after it rings), releases the
 * lock and blocks in the rank's {@link Selector}, where the transports registered their data sockets and doorbells.
 * It wakes when a frame arrives or a peer rings, when {@code maxParkMicros} passes (a safety net), or when its own
 * operation is completed by another thread ({@link #wake}). Every other idle thread of the rank parks, in a slot
 * where a waiter that leaves hands progress on to it ({@link #handOff}): so a thread parked while another one held
 * the lock is woken when that one is done. Without a doorbell (the setting off, or a transport that cannot wake a
 * sleeper, like the in-JVM one) every idle thread parks with the bounded period as before.
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
    /** Where the sleeper blocks; null without a doorbell. */
    private final Selector waitSet;
    /** The thread blocked (or about to block) in {@link #waitSet}, or null. */
    private final AtomicReference<Thread> sleeper = new AtomicReference<>();
    /** Other idle threads, parked; woken by {@link #handOff}. A thread finding no free slot parks unregistered. */
    private final AtomicReferenceArray<Thread> parked = new AtomicReferenceArray<>(16);
    private final AtomicLong sleeps = new AtomicLong();
    private final AtomicLong rung = new AtomicLong();
    /** Sleeps that lasted their whole safety-net timeout with nothing ready (a wake-up that never came). */
    private final AtomicLong timeouts = new AtomicLong();

    Progress(Engine engine, ReentrantLock lock, Transport[] transports, Link[] links, Outbound outbound, IdleStrategy idle) {
        this.engine = engine;
        this.lock = lock;
        this.transports = transports;
        this.links = links;
        this.outbound = outbound;
        this.idle = idle;
        this.waitSet = idle.blocks() ? openWaitSet(transports) : null;
    }

    /** The rank's wait set when every transport can wake a sleeper, else null (bounded parks). */
    private static Selector openWaitSet(Transport[] transports) {
        if (transports.length == 0) return null;
        for (Transport t : transports) if (!t.supportsWakeups()) return null;
        Selector s;
        try {
            s = Selector.open();
        } catch (IOException e) {
            return null; // no selector (out of descriptors): waiters park with the bounded period
        }
        for (Transport t : transports) t.registerWakeups(s);
        return s;
    }

    /** The idle strategy's spin tries (tests, diagnostics). */
    int spinTries() {
        return idle.spins();
    }

    /** Whether idle waiters block on a doorbell (for tests and diagnostics). */
    boolean hasDoorbell() {
        return waitSet != null;
    }

    /** How many times a sleeper blocked in the wait set. */
    long sleeps() {
        return sleeps.get();
    }

    /** How many times a blocked sleeper was woken by a ready channel (a frame or a doorbell ring, not a timeout). */
    long doorbellWakeups() {
        return rung.get();
    }

    /**
     * How many sleeps lasted their whole safety-net timeout with nothing ready: with a long timeout ({@code
     * maxParkMicros}) and peers that keep sending, a wake-up that was never rung.
     */
    long doorbellTimeouts() {
        return timeouts.get();
    }

    synchronized void startAgent(int rank) {
        if (agent != null || stopped) return;
        agent = new Thread(this::agentLoop, "jmpi-progress-" + rank);
        agent.setDaemon(true);
        agent.start();
    }

    /** {@link #startAgent} unless one runs (thread ranks start none; a context handler needs one). */
    void ensureAgent(int rank) {
        startAgent(rank);
    }

    /**
     * The agent's longest park: 1 ms, or 200 us while a context handler is registered (an RMA window: a passive
     * target answers a lock, a get or a flush within that while it computes).
     */
    private volatile long maxAgentPark = 1_000_000;
    /** The agent's longest park while the program waits in MPI (its waiters drive progress then). */
    private static final long BUSY_AGENT_PARK = 8_000_000;
    /** Whether a context handler is registered: the agent then sleeps on the doorbell where there is one. */
    private volatile boolean handlers;

    void handlersChanged(boolean any) {
        handlers = any;
        maxAgentPark = any ? 200_000 : 1_000_000;
        Thread a = agent;
        if (a != null) LockSupport.unpark(a);
    }

    void stopAgent() {
        stopped = true;
        Thread a = agent;
        if (a != null) LockSupport.unpark(a);
        if (a != null && waitSet != null && sleeper.get() == a) waitSet.wakeup();
    }

    /** Closes the wait set (the engine is closing; its transports close next). */
    void closeWaitSet() {
        if (waitSet == null) return;
        try {
            waitSet.close();
        } catch (IOException ignored) {
            // closing: nothing to do
        }
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
            boolean away = waiters.get() == 0 && System.nanoTime() - lastWait > 1_000_000;
            if (away) work = progress();
            if (work > 0) {
                park = 50_000;
            } else if (away && handlers && waitSet != null && sleeper.compareAndSet(null, Thread.currentThread())) {
                // a context handler (an RMA window) wants its frames while the program computes: sleep on the
                // doorbell, so an arrival wakes the agent at once instead of after its park
                try {
                    sleep(null);
                } finally {
                    sleeper.set(null);
                }
                progress(); // whatever woke it is handled now, even if a waiter arrived meanwhile
            } else {
                LockSupport.parkNanos(park);
                // inside MPI the waiters drive progress: wake rarely, for every wake-up of the agent takes a core
                // from a spinning waiter when the ranks fill the cores (1 kHz of them cost ~2% of a ping-pong)
                park = Math.min(park * 2, away ? maxAgentPark : BUSY_AGENT_PARK);
            }
        }
    }

    /**
     * Waits until {@code done}, driving progress, as {@link #await} does for an operation: the thread counts as a
     * waiter (the agent keeps out of its way), idles with the rank's strategy and sleeps on the doorbell; every 1024
     * fruitless steps {@code check} runs (it may throw: a lost peer).
     */
    void awaitUntil(java.util.function.BooleanSupplier done, Runnable check) {
        waiters.incrementAndGet();
        try {
            int step = 0;
            long tries = 0;
            while (!done.getAsBoolean()) {
                int work = progress();
                if (done.getAsBoolean()) break;
                if (work > 0) {
                    step = 0;
                } else {
                    step = idle(step, null);
                    if ((++tries & 1023) == 0) check.run();
                }
            }
        } finally {
            lastWait = System.nanoTime();
            if (waiters.decrementAndGet() > 0) handOff();
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
                if (work > 0) step = 0; else step = idle(step, op);
            }
        } finally {
            op.setWaiter(null);
            lastWait = System.nanoTime();
            if (waiters.decrementAndGet() > 0) handOff();
        }
    }

    /**
     * One step of the idle strategy for a thread that waits for no single operation (blocking probes,
     * {@code Requests.awaitAny}, collectives): spin, yield, then sleep on the doorbell or park.
     */
    int idle(int step) {
        return idle(step, null);
    }

    /** The idle strategy alone, without the doorbell (see {@link Engine#idleWithoutDoorbell}). */
    int idleWithoutDoorbell(int step) {
        return idle.idle(step);
    }

    /** One idle step of a thread waiting for {@code op} (or null); returns the next step. */
    private int idle(int step, Operation op) {
        if (!idle.sleeping(step)) return idle.idle(step);
        if (waitSet != null && sleeper.compareAndSet(null, Thread.currentThread())) {
            try {
                sleep(op);
            } finally {
                sleeper.set(null);
            }
            return IdleStrategy.next(step);
        }
        // another thread is the sleeper (or there is no doorbell): park where a leaving waiter finds us
        Thread me = Thread.currentThread();
        int slot = -1;
        for (int i = 0; i < parked.length(); i++) {
            if (parked.get(i) == null && parked.compareAndSet(i, null, me)) {
                slot = i;
                break;
            }
        }
        try {
            return idle.idle(step);
        } finally {
            if (slot >= 0) parked.set(slot, null);
        }
    }

    /**
     * The sleeper's step: announce, poll once more, block in the wait set until something is ready, a timeout or
     * {@link #wake}. Gives up (returns at once) when the lock is busy: its holder is making progress.
     */
    private void sleep(Operation op) {
        if (!lock.tryLock()) {
            LockSupport.parkNanos(Math.min(idle.maxParkNanos(), 50_000));
            return;
        }
        boolean block;
        try {
            for (Transport t : transports) t.announceSleep(true);
            // the re-check: whatever a peer published before it saw the announcement is seen here
            block = round() == 0 && (op == null || !op.isDone()) && !stopped && engine.abortCause() == null;
        } catch (RuntimeException e) {
            for (Transport t : transports) t.announceSleep(false);
            throw e;
        } finally {
            lock.unlock();
        }
        try {
            if (!block || (op != null && op.isDone())) return;
            sleeps.incrementAndGet();
            long timeoutMillis = Math.max(1, idle.maxParkNanos() / 1_000_000);
            long start = System.nanoTime();
            int ready = waitSet.select(RUN_READY, timeoutMillis); // the action form: no selected-key set, no iterator
            // not woken early (by wake, a new TCP connection or closing): (about) the whole timeout passed, no ring
            // came; 90 %, as a kernel timer may end a little before the requested time
            if (ready == 0 && System.nanoTime() - start >= timeoutMillis * 900_000) timeouts.incrementAndGet();
            if (ready > 0) rung.incrementAndGet();
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // closing: the caller re-checks its condition and polls
        } finally {
            for (Transport t : transports) t.announceSleep(false);
        }
    }

    /** What a ready key of the wait set does: its attachment, when that is a Runnable (a doorbell's drain). */
    private static final java.util.function.Consumer<SelectionKey> RUN_READY = k -> {
        Object a = k.attachment();
        if (a instanceof Runnable && k.isValid()) ((Runnable) a).run();
    };

    /**
     * Wakes {@code waiter}, whose operation just completed: unparks it, and if it is the sleeper blocked in the wait
     * set, wakes the selector (a system call, only on this slow path).
     */
    void wake(Thread waiter) {
        LockSupport.unpark(waiter);
        if (waitSet != null && sleeper.get() == waiter) waitSet.wakeup();
    }

    /** A waiter leaves while others wait: wake the parked ones, so one of them takes over polling at once. */
    private void handOff() {
        for (int i = 0; i < parked.length(); i++) {
            Thread t = parked.get(i);
            if (t != null) LockSupport.unpark(t);
        }
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
                step = idle(step, null);
            }
        } finally {
            if (waiters.decrementAndGet() > 0) handOff();
        }
    }
}
