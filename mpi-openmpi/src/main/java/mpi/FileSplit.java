package mpi;

import io.jmpi.MpiFile;

/**
 * The data calls of {@link File} as one dispatch over jmpi's {@link MpiFile}, and the state of a split collective
 * ({@code MPI_File_read_all_begin} ... {@code _end}), which jmpi runs as the matching non-blocking collective (the
 * ordered forms, which have no non-blocking form in MPI, complete in the begin call, as MPI allows).
 */
final class FileSplit {
    static final int READ_AT = 0, WRITE_AT = 1, READ_AT_ALL = 2, WRITE_AT_ALL = 3, READ = 4, WRITE = 5, READ_ALL = 6,
            WRITE_ALL = 7, READ_SHARED = 8, WRITE_SHARED = 9, READ_ORDERED = 10, WRITE_ORDERED = 11;

    /** A buffer in the form jmpi's calls take: array or ByteBuffer, element offset, count and type. */
    static final class Target {
        final Object buf;
        final int offset;
        final int count;
        final io.jmpi.Datatype type;
        /** Stores a staged copy back into the user's buffer after a read; null when the target is the buffer itself. */
        final Runnable back;

        Target(Object buf, int offset, int count, io.jmpi.Datatype type, Runnable back) {
            this.buf = buf;
            this.offset = offset;
            this.count = count;
            this.type = type;
            this.back = back;
        }

        void back() {
            if (back != null) back.run();
        }
    }

    final String call;
    final int kind;
    final Object buf;
    final io.jmpi.Request request;
    final Target target;

    FileSplit(String call, int kind, Object buf, io.jmpi.Request request, Target target) {
        this.call = call;
        this.kind = kind;
        this.buf = buf;
        this.request = request;
        this.target = target;
    }

    static boolean reads(int kind) {
        return kind % 2 == 0;
    }

    static io.jmpi.Status blocking(MpiFile f, int kind, long offset, Target t) {
        switch (kind) {
            case READ_AT: return f.readAt(offset, t.buf, t.offset, t.count, t.type);
            case WRITE_AT: return f.writeAt(offset, t.buf, t.offset, t.count, t.type);
            case READ_AT_ALL: return f.readAtAll(offset, t.buf, t.offset, t.count, t.type);
            case WRITE_AT_ALL: return f.writeAtAll(offset, t.buf, t.offset, t.count, t.type);
            case READ: return f.read(t.buf, t.offset, t.count, t.type);
            case WRITE: return f.write(t.buf, t.offset, t.count, t.type);
            case READ_ALL: return f.readAll(t.buf, t.offset, t.count, t.type);
            case WRITE_ALL: return f.writeAll(t.buf, t.offset, t.count, t.type);
            case READ_SHARED: return f.readShared(t.buf, t.offset, t.count, t.type);
            case WRITE_SHARED: return f.writeShared(t.buf, t.offset, t.count, t.type);
            case READ_ORDERED: return f.readOrdered(t.buf, t.offset, t.count, t.type);
            case WRITE_ORDERED: return f.writeOrdered(t.buf, t.offset, t.count, t.type);
            default: throw new IllegalArgumentException("kind " + kind);
        }
    }

    /** The non-blocking form of {@code kind}; the ordered calls complete here. */
    static io.jmpi.Request start(MpiFile f, int kind, long offset, Target t) {
        switch (kind) {
            case READ_AT: return f.ireadAt(offset, t.buf, t.offset, t.count, t.type);
            case WRITE_AT: return f.iwriteAt(offset, t.buf, t.offset, t.count, t.type);
            case READ_AT_ALL: return f.ireadAtAll(offset, t.buf, t.offset, t.count, t.type);
            case WRITE_AT_ALL: return f.iwriteAtAll(offset, t.buf, t.offset, t.count, t.type);
            case READ: return f.iread(t.buf, t.offset, t.count, t.type);
            case WRITE: return f.iwrite(t.buf, t.offset, t.count, t.type);
            case READ_ALL: return f.ireadAll(t.buf, t.offset, t.count, t.type);
            case WRITE_ALL: return f.iwriteAll(t.buf, t.offset, t.count, t.type);
            case READ_SHARED: return f.ireadShared(t.buf, t.offset, t.count, t.type);
            case WRITE_SHARED: return f.iwriteShared(t.buf, t.offset, t.count, t.type);
            default: return new Done(blocking(f, kind, offset, t));
        }
    }

    /** A request that completed when it was made. */
    private static final class Done implements io.jmpi.Request {
        private final io.jmpi.Status s;

        Done(io.jmpi.Status s) {
            this.s = s;
        }

        @Override
        public io.jmpi.Status await() {
            return s;
        }

        @Override
        public io.jmpi.Status test() {
            return s;
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public boolean cancel() {
            return false;
        }
    }
}
