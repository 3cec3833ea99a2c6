package io.jmpi.transport.local;

import io.jmpi.base.MpiException;
import io.jmpi.wire.HandshakeDescriptor;

import java.util.function.Consumer;

/**
 * The shared medium of a job whose ranks are threads of one JVM: one inbox per rank. Created once per job by
 * {@code io.jmpi.runtime.ThreadJob} (or {@code Mpi.runThreads}); each rank's {@link LocalTransport} delivers into its peers' inboxes.
 */
public final class LocalFabric {
    private final LocalTransport[] ranks;
    private final long jobId = HandshakeDescriptor.newJobId();
    private final Consumer<MpiException>[] aborters;
    private MpiException aborted;

    @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array
    public LocalFabric(int size) {
        ranks = new LocalTransport[size];
        aborters = new Consumer[size];
        for (int i = 0; i < size; i++) ranks[i] = new LocalTransport(this, i);
    }

    public int size() {
        return ranks.length;
    }

    public long jobId() {
        return jobId;
    }

    public LocalTransport transport(int rank) {
        return ranks[rank];
    }

    /** Registers how to abort a rank (its engine's abort), so that a failure of one rank thread can abort all. */
    public synchronized void register(int rank, Consumer<MpiException> aborter) {
        aborters[rank] = aborter;
        if (aborted != null) aborter.accept(aborted);
    }

    /** Why the job was aborted, or null. */
    public synchronized MpiException abortCause() {
        return aborted;
    }

    /** Fails every pending and later operation of every rank (a rank thread failed, or called abort). */
    public void abort(MpiException cause) {
        Consumer<MpiException>[] as;
        synchronized (this) {
            if (aborted != null) return;
            aborted = cause;
            as = aborters.clone();
        }
        for (Consumer<MpiException> a : as) if (a != null) a.accept(cause);
    }
}
