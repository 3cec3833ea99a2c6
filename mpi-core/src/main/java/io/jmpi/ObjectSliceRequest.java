package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.BytesBuf;

/**
 * A receive into a slice of an {@code Object[]} ({@link Comm#irecv(Object[], int, int, int, int)}): the message is one
 * serialized {@code Object[]}; once it is complete the objects are copied into {@code buf[offset..]} and the status
 * counts objects ({@link Status#count()} and {@link Status#bytes()} are both the number of objects received).
 */
final class ObjectSliceRequest implements Request {
    private final AbstractComm comm;
    private final String call;
    private final Request inner;
    private final BytesBuf received;
    private final Object[] buf;
    private final int offset;
    private final int count;
    private Status status;

    ObjectSliceRequest(AbstractComm comm, String call, Request inner, BytesBuf received, Object[] buf, int offset, int count) {
        this.comm = comm;
        this.call = call;
        this.inner = inner;
        this.received = received;
        this.buf = buf;
        this.offset = offset;
        this.count = count;
    }

    @Override
    public Status await() {
        return unpack(inner.await());
    }

    @Override
    public Status test() {
        Status s = inner.test();
        return s == null ? null : unpack(s);
    }

    /** Copies the objects out once (await and test may both see completion); later calls return the same status. */
    private synchronized Status unpack(Status s) {
        if (status != null) return status;
        if (s.source() == Mpi.PROC_NULL || s.cancelled() || received.bytes() == null) {
            status = new Status(s.source(), s.tag(), 0, 1, s.cancelled());
            return status;
        }
        Object o = comm.mpi.codec().decode(received.bytes());
        if (!(o instanceof Object[])) {
            throw comm.raise(new MpiException(ErrorClass.TYPE, call + ": the message from rank " + s.source() + " holds a "
                    + (o == null ? "null" : o.getClass().getSimpleName()) + ", not an Object[] (sent by sendObject, not send)"));
        }
        Object[] got = (Object[]) o;
        if (got.length > count) {
            throw comm.raise(new MpiException(ErrorClass.TRUNCATE, call + ": message of " + got.length
                    + " objects from rank " + s.source() + " exceeds count=" + count));
        }
        System.arraycopy(got, 0, buf, offset, got.length);
        status = new Status(s.source(), s.tag(), got.length, 1, false);
        return status;
    }

    @Override public boolean isDone() { return inner.isDone(); }
    @Override public boolean cancel() { return inner.cancel(); }
}
