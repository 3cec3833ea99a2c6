package io.jmpi.trace;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * An MPI operation as a JDK Flight Recorder event (issue 19): committed by {@link Recorder} when a flight recording
 * runs in the rank's JVM (setting {@code jfr=auto}) or always ({@code jfr=on}), so JDK Mission Control shows MPI next
 * to GC, locks and I/O. The operation is recorded when it ends: {@link #elapsed} is its duration.
 */
@Name("io.jmpi.Operation")
@Label("MPI Operation")
@Category({"jmpi", "MPI"})
@Description("An MPI operation of a jmpi rank (point-to-point, wait, probe or collective), recorded when it ends")
public final class MpiOperationEvent extends Event {
    @Label("Operation")
    public String operation;

    @Label("Category")
    public String category;

    @Label("Rank")
    public int rank;

    @Label("Peer")
    @Description("World rank of the peer, or -1")
    public int peer;

    @Label("Tag")
    public int tag;

    @Label("Bytes")
    @DataAmount
    public long bytes;

    @Label("Context")
    @Description("Communicator context (even: point-to-point, odd: collectives)")
    public int context;

    @Label("Root")
    public int root;

    @Label("Count")
    public long count;

    @Label("Datatype")
    public String datatype;

    @Label("Op")
    public String op;

    @Label("Elapsed")
    @Timespan(Timespan.NANOSECONDS)
    public long elapsed;
}
