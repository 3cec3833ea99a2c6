package io.jmpi.coll;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.engine.Completion;
import io.jmpi.engine.Engine;

import java.util.ArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs a {@link Schedule}: the {@link Completion} behind the request of every collective, blocking or not. {@link #advance()} checks the
 * messages of the current round and, when all are done, verifies what arrived and starts the next round; it is
 * called from {@code test()}, {@code await()}, and by threads waiting for other collectives of this rank.
 *
 * <p>Waiting. If this is the only collective in flight on the rank, {@code await()} waits for the first unfinished
 * message of the round through the engine (which drives progress and parks the thread until it completes).
 * Otherwise it polls: it advances all schedules in flight and the engine, idling with the rank's idle strategy.
 *
 * <p>Errors. A failed message, a message of the wrong size (ranks passed different counts) or a failing user
 * operation fails the whole collective: pending receives of the round are cancelled, and {@code await()} throws an
 * {@link MpiException} naming the collective.
 */
public final class ScheduleRequest implements Completion {
    private final Schedule s;
    private final ArrayList<Schedule.Step> steps;
    private final int[] ends;
    private final Progress progress;
    private final ReentrantLock lock = new ReentrantLock();
    private int round = -1;
    private int from;
    private int to;
    private volatile boolean done;
    private volatile MpiException error;
    private boolean registered;
    /**
     * The message operation a thread is waiting on in {@link #await()} outside the lock (guarded by {@code lock}), and
     * whether it finished meanwhile: such an operation goes back to the engine's pool only when the wait is over.
     */
    private Completion waitingOn;
    private boolean waitedFinished;

    ScheduleRequest(Schedule s, int[] ends) {
        this.s = s;
        this.steps = s.steps;
        this.ends = ends;
        this.progress = s.ch.progress;
    }

    /** Whether the last run failed (a failed schedule is never re-run: its steps may hold unfinished messages). */
    boolean failed() {
        return error != null;
    }

    /** Rewinds a completed, successful run for {@link Schedule#restart()}. */
    void reset() {
        round = -1;
        from = 0;
        to = 0;
        registered = false;
        error = null;
        done = false;
    }

    void begin(boolean async) {
        if (async) {
            registered = true;
            progress.register(this);
        }
        advance();
    }

    /** The algorithm the collective runs (e.g. "recursive doubling"), for tests and diagnostics. */
    public String algorithm() {
        return s.algorithm();
    }

    /** Moves the schedule on as far as completed messages allow; returns whether it is done. */
    boolean advance() {
        if (done) return true;
        lock.lock();
        try {
            if (done) return true;
            while (true) {
                for (int i = from; i < to; i++) {
                    Completion q = steps.get(i).req;
                    if (q != null && !q.isDone()) return false;
                }
                for (int i = from; i < to; i++) finish(steps.get(i));
                if (++round == ends.length) {
                    complete(null);
                    return true;
                }
                from = to;
                to = ends[round];
                for (int i = from; i < to; i++) post(steps.get(i));
            }
        } catch (MpiException e) {
            complete(wrap(e));
            return true;
        } catch (RuntimeException e) {
            complete(new MpiException(ErrorClass.OTHER, s.call + ": " + e, e));
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** {@link #advance()} unless another thread is at it; returns whether it completed. */
    boolean tryAdvance() {
        if (done || !lock.tryLock()) return false;
        try {
            return advance();
        } finally {
            lock.unlock();
        }
    }

    private void post(Schedule.Step st) {
        Channel ch = s.ch;
        switch (st.kind) {
            case Schedule.ACTION:
                st.action.run();
                break;
            case Schedule.SEND:
                st.req = ch.engine.startSend(s.call, st.buf, ch.world(st.peer), ch.context, st.tag, false);
                break;
            default:
                st.req = ch.engine.startRecvPooled(s.call, st.buf, ch.world(st.peer), ch.context, st.tag, ch.rankMap);
                break;
        }
    }

    private void finish(Schedule.Step st) {
        Completion q = st.req;
        if (q == null) return;
        st.req = null;
        q.await();
        long got = q.bytes();
        // nothing refers to the finished message any more: its operation goes back to the engine's pool, unless a
        // thread in await() is still waiting on it (then that thread gives it back when its wait returns)
        if (q == waitingOn) waitedFinished = true;
        else release(q);
        if (st.kind == Schedule.RECV && got != st.buf.byteLength()) {
            int size = st.buf.acceptsAnyType() ? 1 : st.buf.type().size;
            throw new MpiException(ErrorClass.COLLECTIVE, s.call + ": rank " + st.peer + " sent " + got / size
                    + " elements where rank " + s.ch.rank + " expected " + st.buf.byteLength() / size
                    + " (did the ranks pass different counts or roots to " + s.call + "?)");
        }
    }

    private static void release(Completion q) {
        if (q instanceof io.jmpi.engine.Operation op) op.engine().release(op);
    }

    private MpiException wrap(MpiException e) {
        if (e.errorClass() == ErrorClass.TRUNCATE || e.errorClass() == ErrorClass.TYPE) {
            return new MpiException(e.errorClass(), e.getMessage() + " (did the ranks pass different counts, types or roots to "
                    + s.call + "?)", e);
        }
        return e;
    }

    private void complete(MpiException e) {
        if (e != null) {
            error = e;
            for (int i = from; i < to; i++) {
                Schedule.Step st = steps.get(i);
                if (st.req != null && !st.req.isDone()) st.req.cancel();
            }
        }
        done = true;
        if (registered) progress.deregister(this);
    }

    /** The first unfinished message of the round, marked as waited on (see {@link #waitingOn}), or null. */
    private Completion firstPending() {
        lock.lock();
        try {
            if (waitingOn != null) return null; // another thread waits already: poll instead
            for (int i = from; i < to; i++) {
                Completion q = steps.get(i).req;
                if (q != null && !q.isDone()) {
                    waitingOn = q;
                    waitedFinished = false;
                    return q;
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the wait on {@code q} (from {@link #firstPending()}): gives it back to the pool if it finished meanwhile. */
    private void waited(Completion q) {
        lock.lock();
        try {
            waitingOn = null;
            if (waitedFinished) {
                waitedFinished = false;
                release(q);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void await() {
        int idle = 0;
        while (!advance()) {
            // alone in flight: wait for one message through the engine (null: done meanwhile, or another thread waits)
            Completion q = progress.activeCount() <= (registered ? 1 : 0) ? firstPending() : null;
            if (q != null) {
                try {
                    q.await();
                } catch (MpiException ignored) {
                    // recorded by advance(), which fails the collective with the message's error
                } finally {
                    waited(q);
                }
            } else {
                int work = progress.advanceOthers(this);
                if (advance()) break;
                work += s.ch.engine.progress();
                idle = work > 0 ? 0 : s.ch.engine.idle(idle);
            }
        }
        checkError();
    }

    @Override
    public boolean test() {
        if (!advance()) {
            progress.advanceOthers(this);
            s.ch.engine.progress();
            if (!advance()) return false;
        }
        checkError();
        return true;
    }

    @Override
    public boolean isDone() {
        return done;
    }

    @Override
    public io.jmpi.engine.Engine engine() {
        return s.ch.engine;
    }

    /** Collectives cannot be cancelled ({@code MPI_Cancel} does not apply to them): returns false. */
    @Override
    public boolean cancel() {
        return false;
    }

    private void checkError() {
        MpiException e = error;
        if (e != null) throw new MpiException(e.errorClass(), e.getMessage(), e);
    }

    @Override public int source() { return Engine.PROC_NULL; }
    @Override public int tag() { return Engine.ANY_TAG; }
    @Override public long bytes() { return 0; }
    @Override public int elementSize() { return 1; }
    @Override public boolean cancelled() { return false; }

    @Override
    public String toString() {
        return s.call + " on " + s.ch.name + " (" + s.algorithm() + ", round " + Math.max(round, 0) + " of " + ends.length
                + (done ? ", done" : "") + ")";
    }
}
