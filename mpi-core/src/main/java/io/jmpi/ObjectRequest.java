package io.jmpi;

import io.jmpi.buffer.BytesBuf;

/** A non-blocking object receive: a {@link Request} whose result is an object. */
public final class ObjectRequest<T> implements Request {
    private final Request inner;
    private final BytesBuf buf;
    private final ObjectCodec codec;

    ObjectRequest(Request inner, BytesBuf buf, ObjectCodec codec) {
        this.inner = inner;
        this.buf = buf;
        this.codec = codec;
    }

    /** Waits and returns the received object (null from {@link Mpi#PROC_NULL}). */
    @SuppressWarnings("unchecked")
    public T object() {
        Status s = inner.await();
        if (s.source() == Mpi.PROC_NULL || buf.bytes() == null) return null;
        return (T) codec.decode(buf.bytes());
    }

    @Override public Status await() { return inner.await(); }
    @Override public Status test() { return inner.test(); }
    @Override public boolean isDone() { return inner.isDone(); }
    @Override public boolean cancel() { return inner.cancel(); }
}
