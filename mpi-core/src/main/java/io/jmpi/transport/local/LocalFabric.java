package io.jmpi.transport.local;

import io.jmpi.wire.HandshakeDescriptor;

/**
 * The shared medium of a job whose ranks are threads of one JVM: one inbox per rank. Created once per job by
 * {@link LocalJob} (or {@code Mpi.runThreads}); each rank's {@link LocalTransport} delivers into its peers' inboxes.
 */
public final class LocalFabric {
    private final LocalTransport[] ranks;
    private final long jobId = HandshakeDescriptor.newJobId();
    private final io.jmpi.engine.Engine[] engines;
    private io.jmpi.MpiException aborted;

    public LocalFabric(int size) {
        ranks = new LocalTransport[size];
        engines = new io.jmpi.engine.Engine[size];
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

    /** Registers a rank's engine so that a failure of one rank thread can abort all of them. */
    public synchronized void register(int rank, io.jmpi.engine.Engine engine) {
        engines[rank] = engine;
        if (aborted != null) engine.abort(aborted);
    }

    /** Why the job was aborted, or null. */
    public synchronized io.jmpi.MpiException abortCause() {
        return aborted;
    }

    /** Fails every pending and later operation of every rank (a rank thread failed, or called abort). */
    public void abort(io.jmpi.MpiException cause) {
        io.jmpi.engine.Engine[] es;
        synchronized (this) {
            if (aborted != null) return;
            aborted = cause;
            es = engines.clone();
        }
        for (io.jmpi.engine.Engine e : es) if (e != null) e.abort(cause);
    }
}
