package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.Buf;
import io.jmpi.io.AccessMode;
import io.jmpi.io.FileData;
import io.jmpi.io.FileDomains;
import io.jmpi.io.FileView;
import io.jmpi.io.Hints;
import io.jmpi.io.RangeLock;
import io.jmpi.io.Segments;
import io.jmpi.io.SharedPointer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileLock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The machinery behind {@link MpiFile}: the file's collective thread and the agreement every collective call starts
 * with, the dispatch of the data-access calls (explicit offset, individual and shared pointers, independent and
 * collective), independent I/O, and the collective management calls.
 *
 * <p>Agreement. A collective call first allgathers a small header per rank over the file's private communicator:
 * the call, an error class if this rank's arguments were bad, and a few numbers (the region it accesses, a size,
 * a flag). From the same gathered headers every rank decides the same thing: a different call on some rank
 * ({@code NOT_SAME}), bad arguments on some rank (everyone fails, that rank with its own message), and whether the
 * ranks' regions interleave (two-phase or not). A failure during the call (an I/O error at one rank) is settled the
 * same way at its end, so one rank's error never leaves the others waiting.
 */
final class FileOps {
    static final int HEADER = 6, A = 2, B = 3, C = 4, D = 5;
    static final int OP_ACCESS = 1, OP_SET_VIEW = 2, OP_SET_INFO = 3, OP_RESIZE = 4, OP_SYNC = 5, OP_ATOMICITY = 6,
            OP_SEEK_SHARED = 7, OP_CLOSE = 8, OP_ORDERED = 9, OP_READ_ALL = 10, OP_WRITE_ALL = 11;
    private static final String[] OP_NAMES = {"?", "access", "setView", "setInfo", "setSize/preallocate", "sync",
            "setAtomicity", "seekShared", "close", "readOrdered/writeOrdered", "a collective read", "a collective write"};
    private static final int STAGING = 4 << 20;

    private final MpiFile f;
    private final ExecutorService exec;
    private volatile Thread execThread;
    /** Independent calls' staging buffer (guarded by this). */
    private ByteBuffer staging;
    /** The collective thread's window (two-phase rounds and the direct path of collective calls). */
    private ByteBuffer window;

    FileOps(MpiFile f) {
        this.f = f;
        String name = "jmpi-file-" + f.path.getFileName() + "-r" + f.comm.rank();
        this.exec = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            execThread = t;
            return t;
        });
    }

    /** The body of a collective call, run on the file's thread with every rank's header. */
    interface Body<T> {
        T run(long[] all);
    }

    // ------------------------------------------------------------------ collective calls

    <T> T collective(String call, int op, MpiException bad, long a, long b, Body<T> body) {
        return await(submit(call, op, bad, new long[]{a, b}, body));
    }

    <T> CompletableFuture<T> submit(String call, int op, MpiException bad, long[] v, Body<T> body) {
        f.checkOpen(call);
        if (Thread.currentThread() == execThread) return CompletableFuture.completedFuture(agreeAndRun(call, op, bad, v, body));
        return CompletableFuture.supplyAsync(() -> agreeAndRun(call, op, bad, v, body), exec);
    }

    static <T> T await(CompletableFuture<T> cf) {
        try {
            return cf.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof MpiException) throw (MpiException) e.getCause();
            throw new MpiException(ErrorClass.OTHER, "file operation failed: " + e.getCause(), e.getCause());
        }
    }

    private <T> T agreeAndRun(String call, int op, MpiException bad, long[] v, Body<T> body) {
        Comm p = f.priv;
        int n = p.size(), me = p.rank();
        long[] mine = new long[HEADER];
        mine[0] = op;
        mine[1] = bad == null ? 0 : bad.errorClass().ordinal() + 1;
        System.arraycopy(v, 0, mine, A, v.length);
        long[] all = new long[HEADER * n];
        p.allgather(mine, all);
        for (int r = 0; r < n; r++) {
            if (all[HEADER * r] != op) {
                throw new MpiException(ErrorClass.NOT_SAME, call + ": rank " + r + " called " + OP_NAMES[(int) all[HEADER * r]]
                        + " while rank " + me + " called " + OP_NAMES[op] + " (collective file calls must match on every rank)");
            }
        }
        for (int r = 0; r < n; r++) {
            if (all[HEADER * r + 1] == 0) continue;
            if (bad != null) throw bad;
            throw new MpiException(ErrorClass.values()[(int) all[HEADER * r + 1] - 1],
                    call + ": rank " + r + "'s arguments are invalid (see its error); nothing was done");
        }
        T result = null;
        MpiException failed = null;
        try {
            result = body.run(all);
        } catch (MpiException e) {
            failed = e;
        }
        settle(call, failed);
        return result;
    }

    /** At the end of a collective call: if any rank failed, every rank throws (the failed ones their own error). */
    private void settle(String call, MpiException failed) {
        int n = f.priv.size();
        int[] codes = new int[n];
        f.priv.allgather(new int[]{failed == null ? 0 : failed.errorClass().ordinal() + 1}, codes);
        if (failed != null) throw failed;
        for (int r = 0; r < n; r++) {
            if (codes[r] != 0) {
                throw new MpiException(ErrorClass.values()[codes[r] - 1], call + ": failed at rank " + r + " (see its error)");
            }
        }
    }

    private static MpiException notSame(String call, String what, long[] all, int index, long mine, int me) {
        for (int r = 0; r < all.length / HEADER; r++) {
            if (all[HEADER * r + index] != mine) {
                return new MpiException(ErrorClass.NOT_SAME, call + ": rank " + r + " passed " + what + "=" + all[HEADER * r + index]
                        + ", rank " + me + " " + what + "=" + mine + " (every rank must pass the same)");
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ data access

    private static boolean isWrite(int kind) {
        return (kind & 1) == 1;
    }

    Request access(String call, int kind, long offset, Object buf, int bufOffset, int count, Datatype type, boolean nonblocking) {
        f.checkOpen(call);
        boolean write = isWrite(kind);
        boolean collective = kind == FileAccess.READ_AT_ALL || kind == FileAccess.WRITE_AT_ALL || kind == FileAccess.READ_ALL
                || kind == FileAccess.WRITE_ALL || kind == FileAccess.READ_ORDERED || kind == FileAccess.WRITE_ORDERED;
        FileView view = f.view;
        int es = view.etypeSize();
        Buf b = null;
        MpiException bad = null;
        try {
            if (write && !AccessMode.canWrite(f.amode)) {
                throw new MpiException(ErrorClass.READ_ONLY, call + ": the file " + f.path + " was opened " + AccessMode.describe(f.amode) + ": cannot write");
            }
            if (!write && !AccessMode.canRead(f.amode)) {
                throw new MpiException(ErrorClass.ACCESS, call + ": the file " + f.path + " was opened " + AccessMode.describe(f.amode) + ": cannot read");
            }
            if (kind <= FileAccess.WRITE_ALL) noSequential(call);
            if (kind <= FileAccess.WRITE_AT_ALL && offset < 0) {
                throw new MpiException(ErrorClass.ARG, call + ": offset=" + offset + " out of range [0, " + Long.MAX_VALUE + "]");
            }
            b = DatatypeArgs.buf(null, call, "buf", buf, bufOffset, count, type, !write);
            if (b.byteLength() % es != 0) {
                throw new MpiException(ErrorClass.TYPE, call + ": count=" + count + " x " + type + " (" + b.byteLength()
                        + " bytes) is not a whole number of the view's etype " + view.etypeName() + " (" + es + " bytes)");
            }
        } catch (MpiException e) {
            if (!collective) throw e;
            bad = e;
        }
        if (!collective) return new CompletedRequest(independentCall(call, kind, offset, b, view));
        CompletableFuture<Status> cf;
        if (kind == FileAccess.READ_ORDERED || kind == FileAccess.WRITE_ORDERED) {
            cf = ordered(call, write, b, bad, view);
        } else {
            long pos;
            if (kind == FileAccess.READ_AT_ALL || kind == FileAccess.WRITE_AT_ALL) {
                pos = offset * es;
            } else {
                synchronized (f) {
                    pos = f.pointer * es;
                    if (b != null) f.pointer += expected(write, view, pos, b.byteLength()) / es;
                }
            }
            cf = collectiveAccess(call, write, pos, b, bad, view);
        }
        if (nonblocking) return new FileRequest(cf);
        return new CompletedRequest(await(cf));
    }

    /** Bytes an access will move: all for a write, up to the view's end of file for a read. */
    private long expected(boolean write, FileView view, long pos, long bytes) {
        if (write) return bytes;
        return Math.max(0, Math.min(bytes, view.dataBelow(f.getSize()) - pos));
    }

    private Status independentCall(String call, int kind, long offset, Buf b, FileView view) {
        boolean write = isWrite(kind);
        int es = view.etypeSize();
        long bytes = b.byteLength();
        switch (kind) {
            case FileAccess.READ_AT:
            case FileAccess.WRITE_AT:
                return independent(call, write, view, offset * es, bytes, b);
            case FileAccess.READ:
            case FileAccess.WRITE:
                synchronized (f) {
                    Status s = independent(call, write, view, f.pointer * es, bytes, b);
                    f.pointer += s.bytes() / es;
                    return s;
                }
            default: {
                SharedPointer sp = sharedPointer(call);
                long[] at = new long[2];
                sp.update(x -> {
                    at[0] = x;
                    at[1] = expected(write, view, x * es, bytes) / es;
                    return x + at[1];
                }, call);
                return independent(call, write, view, at[0] * es, at[1] * es, b);
            }
        }
    }

    /** An independent access of {@code bytes} data bytes from view position {@code pos}. */
    private synchronized Status independent(String call, boolean write, FileView view, long pos, long bytes, Buf b) {
        Segments segs = new Segments();
        view.map(pos, bytes, segs);
        long done = write ? bytes : segs.clipAt(f.getSize());
        if (staging == null) staging = ByteBuffer.allocateDirect(STAGING);
        directIo(call, write, segs, b, staging);
        return status(done, b);
    }

    private void directIo(String call, boolean write, Segments segs, Buf b, ByteBuffer through) {
        if (segs.count() == 0) return;
        FileLock l = f.atomic ? RangeLock.lock(f.ch, segs.lo(), segs.hi() - segs.lo(), !write, call) : null;
        try {
            if (write) FileData.write(f.ch, segs, b, through, call);
            else FileData.read(f.ch, segs, b, through, call);
        } finally {
            if (l != null) RangeLock.release(l, call);
        }
    }

    private static Status status(long bytes, Buf b) {
        return new Status(Mpi.PROC_NULL, Mpi.ANY_TAG, bytes, b == null ? 1 : b.type().size, false);
    }

    /** A collective read or write of {@code b}'s data from view position {@code pos}. */
    private CompletableFuture<Status> collectiveAccess(String call, boolean write, long pos, Buf b, MpiException bad, FileView view) {
        Segments segs = new Segments();
        long bytes = 0;
        if (bad == null) {
            view.map(pos, b.byteLength(), segs);
            bytes = write ? b.byteLength() : segs.clipAt(f.getSize());
        }
        long done = bytes;
        int op = write ? OP_WRITE_ALL : OP_READ_ALL;
        return submit(call, op, bad, new long[]{segs.lo(), segs.hi()}, all -> {
            transfer(call, write, segs, b, all);
            return status(done, b);
        });
    }

    /** The collective data movement, given every rank's region in the gathered headers (at A and B). */
    private void transfer(String call, boolean write, Segments segs, Buf b, long[] all) {
        int n = f.priv.size();
        long[] lo = new long[n], hi = new long[n];
        long glo = Long.MAX_VALUE, ghi = Long.MIN_VALUE;
        for (int r = 0; r < n; r++) {
            lo[r] = all[HEADER * r + A];
            hi[r] = all[HEADER * r + B];
            if (lo[r] < hi[r]) {
                glo = Math.min(glo, lo[r]);
                ghi = Math.max(ghi, hi[r]);
            }
        }
        if (glo >= ghi) return;
        Hints h = f.hints;
        Hints.Mode m = write ? h.cbWrite() : h.cbRead();
        boolean twoPhase = m == Hints.Mode.ENABLE || (m == Hints.Mode.AUTOMATIC && FileDomains.interleaved(lo, hi));
        if (window == null || window.capacity() < h.cbBufferSize()) window = ByteBuffer.allocateDirect(h.cbBufferSize());
        if (!twoPhase) {
            directIo(call, write, segs, b, window);
            return;
        }
        FileDomains d = new FileDomains(glo, ghi, FileDomains.chooseAggregators(f.hostOf, h.cbNodes()), h.cbBufferSize(), h.stripingUnit());
        new TwoPhaseIo(f.priv, f.ch, d, segs, b, window, f.atomic, call).run(write);
    }

    /**
     * readOrdered/writeOrdered: the ranks' counts (agreed in the header) give each rank its place after the shared
     * pointer in rank order; rank 0 advances the pointer once for all and broadcasts where it was; then the data
     * moves as in a collective access at those places.
     */
    private CompletableFuture<Status> ordered(String call, boolean write, Buf b, MpiException bad, FileView view) {
        int es = view.etypeSize();
        MpiException why = bad;
        if (why == null && f.shared == null) why = new MpiException(ErrorClass.UNSUPPORTED_OPERATION, call + ": " + f.sharedProblem);
        long etypes = b == null ? 0 : b.byteLength() / es;
        return submit(call, OP_ORDERED, why, new long[]{etypes, write ? 1 : 0}, all -> {
            int n = f.priv.size(), me = f.priv.rank();
            MpiException mixed = notSame(call, "a write flag", all, B, write ? 1 : 0, me);
            if (mixed != null) throw mixed;
            long before = 0, total = 0;
            for (int r = 0; r < n; r++) {
                if (r < me) before += all[HEADER * r + A];
                total += all[HEADER * r + A];
            }
            long[] base = new long[1];
            MpiException failed = null;
            if (me == 0) {
                long sum = total;
                try {
                    base[0] = f.shared.update(x -> x + (write ? sum : Math.max(0, Math.min(sum, view.dataBelow(f.getSize()) / es - x))), call);
                } catch (MpiException e) {
                    failed = e;
                }
            }
            f.priv.bcast(base, 0);
            if (failed != null) throw failed;
            Segments segs = new Segments();
            view.map((base[0] + before) * es, b.byteLength(), segs);
            long done = write ? b.byteLength() : segs.clipAt(f.getSize());
            long[] mine = {segs.lo(), segs.hi()};
            long[] regions = new long[2 * n];
            f.priv.allgather(mine, regions);
            long[] asHeader = new long[HEADER * n];
            for (int r = 0; r < n; r++) {
                asHeader[HEADER * r + A] = regions[2 * r];
                asHeader[HEADER * r + B] = regions[2 * r + 1];
            }
            transfer(call, write, segs, b, asHeader);
            return status(done, b);
        });
    }

    // ------------------------------------------------------------------ pointers

    SharedPointer sharedPointer(String call) {
        if (f.shared == null) throw new MpiException(ErrorClass.UNSUPPORTED_OPERATION, call + ": " + f.sharedProblem);
        return f.shared;
    }

    void noSequential(String call) {
        if ((f.amode & AccessMode.SEQUENTIAL) != 0) {
            throw new MpiException(ErrorClass.UNSUPPORTED_OPERATION, call + ": the file was opened with MODE_SEQUENTIAL: "
                    + "only shared file pointer calls are allowed");
        }
    }

    /** The pointer {@code offset} etypes from SEEK_SET, SEEK_CUR ({@code current}) or SEEK_END. */
    long target(String call, long current, long offset, int whence) {
        long base;
        switch (whence) {
            case MpiFile.SEEK_SET: base = 0; break;
            case MpiFile.SEEK_CUR: base = current; break;
            case MpiFile.SEEK_END: base = f.view.dataBelow(f.getSize()) / f.view.etypeSize(); break;
            default: throw new MpiException(ErrorClass.ARG, call + ": whence=" + whence + " is not SEEK_SET (600), SEEK_CUR (602) or SEEK_END (604)");
        }
        long to = base + offset;
        if (to < 0) {
            throw new MpiException(ErrorClass.ARG, call + ": offset=" + offset + " from " + base + " gives position " + to
                    + ", out of range [0, " + Long.MAX_VALUE + "]");
        }
        return to;
    }

    void seekShared(long offset, int whence) {
        String call = "seekShared";
        MpiException bad = null;
        try {
            sharedPointer(call);
            if (whence != MpiFile.SEEK_SET && whence != MpiFile.SEEK_CUR && whence != MpiFile.SEEK_END) target(call, 0, offset, whence);
        } catch (MpiException e) {
            bad = e;
        }
        collective(call, OP_SEEK_SHARED, bad, offset, whence, all -> {
            int me = f.priv.rank();
            MpiException diff = notSame(call, "offset", all, A, offset, me);
            if (diff == null) diff = notSame(call, "whence", all, B, whence, me);
            if (diff != null) throw diff;
            MpiException failed = null;
            if (me == 0) {
                try {
                    f.shared.update(x -> target(call, x, offset, whence), call);
                } catch (MpiException e) {
                    failed = e;
                }
            }
            f.priv.barrier();
            if (failed != null) throw failed;
            return null;
        });
    }

    // ------------------------------------------------------------------ management

    void resize(String call, long size, boolean truncate) {
        MpiException bad = null;
        if (size < 0) bad = new MpiException(ErrorClass.ARG, call + ": size=" + size + " out of range [0, " + Long.MAX_VALUE + "]");
        else if (!AccessMode.canWrite(f.amode)) bad = new MpiException(ErrorClass.READ_ONLY, call + ": the file was opened MODE_RDONLY");
        collective(call, OP_RESIZE, bad, size, truncate ? 1 : 0, all -> {
            int me = f.priv.rank();
            MpiException diff = notSame(call, "size", all, A, size, me);
            if (diff != null) throw diff;
            MpiException failed = null;
            if (me == 0) {
                try {
                    long cur = f.ch.size();
                    if (truncate && size < cur) f.ch.truncate(size);
                    else if (size > cur) FileData.writeFully(f.ch, ByteBuffer.allocate(1), size - 1, call);
                } catch (IOException e) {
                    failed = FileData.failure(call, "resizing " + f.path, e);
                } catch (MpiException e) {
                    failed = e;
                }
            }
            f.priv.barrier();
            if (failed != null) throw failed;
            return null;
        });
    }

    void sync() {
        String call = "sync";
        collective(call, OP_SYNC, null, 0, 0, all -> {
            MpiException failed = null;
            try {
                if (AccessMode.canWrite(f.amode)) f.ch.force(true);
            } catch (IOException e) {
                failed = FileData.failure(call, "syncing " + f.path, e);
            }
            f.priv.barrier();
            if (failed != null) throw failed;
            return null;
        });
    }

    void setAtomicity(boolean flag) {
        String call = "setAtomicity";
        collective(call, OP_ATOMICITY, null, flag ? 1 : 0, 0, all -> {
            MpiException diff = notSame(call, "flag", all, A, flag ? 1 : 0, f.priv.rank());
            if (diff != null) throw diff;
            f.atomic = flag;
            return null;
        });
    }

    void close() {
        String call = "close";
        try {
            collective(call, OP_CLOSE, null, 0, 0, all -> {
                MpiException failed = null;
                try {
                    f.ch.close();
                    if (f.shared != null) f.shared.close();
                } catch (IOException e) {
                    failed = FileData.failure(call, "closing " + f.path, e);
                }
                f.priv.barrier();
                f.closed = true;
                if (f.priv.rank() == 0) {
                    try {
                        SharedPointer.delete(SharedPointer.sideFile(f.path));
                        if ((f.amode & AccessMode.DELETE_ON_CLOSE) != 0) java.nio.file.Files.deleteIfExists(f.path);
                    } catch (IOException e) {
                        if (failed == null) failed = FileData.failure(call, "deleting " + f.path, e);
                    }
                }
                if (failed != null) throw failed;
                return null;
            });
        } finally {
            f.closed = true;
            exec.shutdown();
            f.priv.free();
        }
    }

    /** A non-blocking collective file call: completes when the file's thread has run it. */
    static final class FileRequest implements Request {
        private final CompletableFuture<Status> cf;

        FileRequest(CompletableFuture<Status> cf) {
            this.cf = cf;
        }

        @Override public Status await() { return FileOps.await(cf); }
        @Override public Status test() { return cf.isDone() ? await() : null; }
        @Override public boolean isDone() { return cf.isDone(); }
        @Override public boolean cancel() { return false; }
        @Override public CompletableFuture<Status> toFuture() { return cf.copy(); }
    }
}
