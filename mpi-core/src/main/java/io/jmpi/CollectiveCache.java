package io.jmpi;

import io.jmpi.buffer.DataType;
import io.jmpi.coll.Schedule;
import io.jmpi.coll.ScheduleRequest;

/**
 * The compiled blocking collectives of one communicator, re-run while the caller passes the same arguments: a
 * collective in steady state (the same call on the same arrays, as in a solver's loop) then allocates nothing. An
 * entry is keyed on everything a schedule depends on: the call, root, element type, operation, count, and the
 * identity and offset of the send and receive storage (arrays or ByteBuffers); equal keys mean the same checks
 * would pass and the same algorithm would be chosen, so a hit skips both. Each re-run takes the communicator's next
 * sequence number ({@link Schedule#restart()}), exactly as a new schedule would, so ranks that hit and ranks that
 * miss still agree on tags.
 *
 * <p>Only blocking collectives are cached (their request never escapes to the caller), and only those whose
 * schedule reads the caller's data when it runs, never when it is built (alltoall in place copies its input in the
 * schedule's first step; not the v-variants, whose count arrays the caller may change). Persistent collectives re-run
 * their schedule too, without this cache ({@link PersistentSchedule}). An entry keeps references to the caller's
 * arrays until it is evicted (least recently used, {@value #SIZE} entries) or the communicator is freed. Not meant
 * for concurrent use of one communicator's collectives by several threads (MPI forbids it); an entry in use is never
 * handed out twice.
 */
final class CollectiveCache {
    static final int SIZE = 8;

    /** A compiled collective and its key; while busy, the request of its current run (awaiting it frees the entry). */
    final class Entry implements Request {
        String call;
        int root;
        DataType type;
        Object op;
        long count;
        Object send, recv;
        int sendOffset, recvOffset, sendLimit, recvLimit;
        Schedule schedule;
        ScheduleRequest current;
        long used;
        boolean busy;

        /** Runs the freshly built {@code s} under this entry's key. */
        Request run(Schedule s) {
            schedule = s;
            current = s.start(false);
            return this;
        }

        /** Re-runs the cached schedule. */
        Request rerun() {
            try {
                current = schedule.restart();
            } catch (RuntimeException e) {
                done(this, false);
                throw e;
            }
            return this;
        }

        @Override
        public Status await() {
            ScheduleRequest c = current;
            boolean ok = false;
            try {
                c.await();
                ok = true;
            } finally {
                current = null;
                done(this, ok);
            }
            return Status.EMPTY;
        }

        @Override
        public Status test() {
            return isDone() ? await() : null;
        }

        @Override
        public boolean isDone() {
            ScheduleRequest c = current;
            return c == null || c.isDone();
        }

        @Override
        public boolean cancel() {
            return false;
        }
    }

    private final Entry[] entries = new Entry[SIZE];
    private long clock;

    /**
     * The entry for these arguments, marked busy and re-run, or null on a miss. {@code call} must be a string literal
     * (compared by identity).
     */
    synchronized Entry hit(String call, int root, DataType type, Object op, long count, Object send, int sendOffset,
                           int sendLimit, Object recv, int recvOffset, int recvLimit) {
        for (Entry e : entries) {
            if (e != null && !e.busy && e.call == call && e.root == root && e.type == type && e.op == op
                    && e.count == count && e.send == send && e.sendOffset == sendOffset && e.recv == recv
                    && e.recvOffset == recvOffset && e.sendLimit == sendLimit && e.recvLimit == recvLimit
                    && e.schedule != null) {
                e.busy = true;
                e.used = ++clock;
                return e;
            }
        }
        return null;
    }

    /** An entry to fill for a miss (the least recently used one, or a new one), marked busy; the caller fills it. */
    synchronized Entry slot() {
        int victim = -1;
        for (int i = 0; i < entries.length; i++) {
            Entry e = entries[i];
            if (e == null) {
                entries[i] = e = new Entry();
            }
            if (e.busy) continue;
            if (victim < 0 || e.used < entries[victim].used) victim = i;
        }
        if (victim < 0) return null;
        Entry e = entries[victim];
        e.busy = true;
        e.used = ++clock;
        e.schedule = null;
        e.call = null;
        return e;
    }

    /** Ends the use of an entry (after its run completed, or failed: a failed entry is emptied). */
    synchronized void done(Entry e, boolean ok) {
        if (!ok) {
            e.call = null;
            e.schedule = null;
            e.send = e.recv = null;
            e.op = null;
        }
        e.busy = false;
    }

    /** Entries that hold a compiled collective (tests). */
    synchronized int filled() {
        int n = 0;
        for (Entry e : entries) if (e != null && e.schedule != null) n++;
        return n;
    }

    /** Drops every entry (the communicator was freed): the caller's arrays are no longer referenced. */
    synchronized void clear() {
        java.util.Arrays.fill(entries, null);
    }
}
