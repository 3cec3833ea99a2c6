package io.jmpi;

import io.jmpi.coll.Schedule;
import io.jmpi.engine.Completion;

import java.util.function.Supplier;

/**
 * The starter of a persistent collective ({@code MPI_Allreduce_init}, {@code MPI_Neighbor_alltoall_init}, the
 * intercommunicator ones ...): the schedule is built once, when the request is made (arguments checked then, as MPI
 * wants), and every {@link Prequest#start()} re-runs it ({@link Schedule#restart(boolean)}): re-tagged with the
 * communicator's next sequence number, with its steps, buffer views, scratch blocks, request and (through the engine's
 * pool) engine operations reused, so a restart allocates nothing. A start after a failed run builds the schedule
 * again (a failed schedule may hold unfinished messages).
 *
 * <p>{@code async}: the run is registered with the rank's collective progress, so that a thread waiting for another
 * collective advances it (needed by every schedule of more than one round); a one-round schedule (neighbourhood
 * collectives post every message at start) need not be.
 */
final class PersistentSchedule implements Prequest.Starter {
    private final AbstractComm comm;
    private final String call;
    private final Supplier<Schedule> build;
    private final boolean async;
    private Schedule schedule;
    private boolean ran;

    PersistentSchedule(AbstractComm comm, String call, Schedule first, Supplier<Schedule> build, boolean async) {
        this.comm = comm;
        this.call = call;
        this.schedule = first;
        this.build = build;
        this.async = async;
    }

    /** A persistent request over the schedule {@code build} makes (built now, once). */
    static Prequest of(AbstractComm comm, String call, Supplier<Schedule> build, boolean async) {
        comm.checkUsable(call);
        return new Prequest(call, new PersistentSchedule(comm, call, build.get(), build, async));
    }

    @Override
    public Completion start(Completion previous) {
        comm.checkUsable(call);
        if (!ran) {
            ran = true;
            return schedule.start(async);
        }
        try {
            return schedule.restart(async);
        } catch (IllegalStateException failedBefore) {
            schedule = build.get();
            return schedule.start(async);
        }
    }
}
