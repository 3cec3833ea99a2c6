package io.jmpi;

import io.jmpi.buffer.BytesBuf;

import java.util.function.Supplier;

/**
 * A non-blocking operation whose result is an object: an object receive ({@link Comm#irecvObject}) or a non-blocking
 * object collective ({@link Comm#ibcastObject}, {@link Comm#iallreduceObject}, ...). A {@link Request} like any
 * other (await, test, arrays of requests); {@link #object()} waits and returns the object.
 */
public final class ObjectRequest<T> implements Request {
    private final Request inner;
    private final Supplier<T> result;
    private volatile boolean decoded;
    private T value;

    ObjectRequest(Request inner, Supplier<T> result) {
        this.inner = inner;
        this.result = result;
    }

    /** An object receive: the object is decoded from {@code buf} once the receive is complete. */
    @SuppressWarnings("unchecked")
    ObjectRequest(Request inner, BytesBuf buf, ObjectCodec codec) {
        this(inner, () -> buf.bytes() == null ? null : (T) codec.decode(buf.bytes()));
    }

    /**
     * Waits and returns the object: the received one (null from {@link Mpi#PROC_NULL}), or the collective's result at
     * this rank (null where MPI defines none, e.g. {@code igatherObject} at a non-root). Decoded once.
     */
    public T object() {
        inner.await();
        if (!decoded) {
            synchronized (this) {
                if (!decoded) {
                    value = result.get();
                    decoded = true;
                }
            }
        }
        return value;
    }

    @Override public Status await() { return inner.await(); }
    @Override public Status test() { return inner.test(); }
    @Override public boolean isDone() { return inner.isDone(); }
    @Override public boolean cancel() { return inner.cancel(); }
    @Override public java.util.concurrent.CompletableFuture<Status> toFuture() { return inner.toFuture(); }
}
