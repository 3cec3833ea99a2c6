package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.Layout;
import io.jmpi.io.AccessMode;
import io.jmpi.io.FileView;
import io.jmpi.io.Hints;
import io.jmpi.io.SharedPointer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A file opened by all ranks of a communicator ({@code MPI_File}): MPI-IO. Open it collectively with
 * {@link #open}, set a view ({@link #setView}: displacement, etype, filetype; a subarray filetype gives each rank its
 * block of a global array), read and write with explicit offsets, the individual file pointer or the shared file
 * pointer, independently or collectively ({@code ...All}, ordered), blocking or not (the calls are in
 * {@link FileAccess}); close it collectively ({@link #close}). Collective reads and writes use two-phase aggregation
 * when the ranks' regions interleave (see docs/MPI-IO.md); the data representation is {@code "native"}: jmpi's
 * little-endian layout of each primitive, the same as a C program's on x86-64 and aarch64.
 *
 * <p>Errors are {@link MpiException}s with the MPI-IO error classes ({@code NO_SUCH_FILE}, {@code AMODE},
 * {@code READ_ONLY}, {@code ACCESS}, {@code NOT_SAME}, ...). As MPI's default file error handler is
 * {@code MPI_ERRORS_RETURN}, they are thrown and never abort the job. A collective call whose arguments are bad on one
 * rank fails on every rank (the others learn which rank and why in one agreement round), so no rank hangs.
 *
 * <p>Threads: collective calls of one file run, in call order, on one thread of the file ({@code jmpi-file}), which
 * is what lets a non-blocking collective progress while the caller computes; independent calls run on the caller's
 * thread and are serialised per file. A non-blocking independent call completes before it returns.
 */
public final class MpiFile extends FileAccess implements AutoCloseable {
    /** Access modes ({@code MPI_MODE_*}), combined with {@code |}. */
    public static final int MODE_CREATE = AccessMode.CREATE, MODE_RDONLY = AccessMode.RDONLY, MODE_WRONLY = AccessMode.WRONLY,
            MODE_RDWR = AccessMode.RDWR, MODE_DELETE_ON_CLOSE = AccessMode.DELETE_ON_CLOSE,
            MODE_UNIQUE_OPEN = AccessMode.UNIQUE_OPEN, MODE_EXCL = AccessMode.EXCL, MODE_APPEND = AccessMode.APPEND,
            MODE_SEQUENTIAL = AccessMode.SEQUENTIAL;
    /** Whence of {@link #seek} ({@code MPI_SEEK_SET}, {@code MPI_SEEK_CUR}, {@code MPI_SEEK_END}). */
    public static final int SEEK_SET = 600, SEEK_CUR = 602, SEEK_END = 604;

    final Comm comm;
    final Comm priv;
    final Path path;
    final FileChannel ch;
    final int amode;
    final Hints hints;
    final String[] hostOf;
    final FileOps ops;
    private final Map<String, String> userInfo;
    volatile FileView view = FileView.BYTES;
    private volatile Datatype etype = Datatype.BYTE;
    private volatile Datatype filetype = Datatype.BYTE;
    private volatile String datarep = "native";
    /** The individual file pointer, etypes of the view. */
    long pointer;
    final SharedPointer shared;
    final String sharedProblem;
    volatile boolean atomic;
    volatile boolean closed;

    private MpiFile(Comm comm, Comm priv, Path path, FileChannel ch, int amode, Hints hints, Map<String, String> userInfo,
                    SharedPointer shared, String sharedProblem, long start) {
        this.comm = comm;
        this.priv = priv;
        this.path = path;
        this.ch = ch;
        this.amode = amode;
        this.hints = hints;
        this.userInfo = userInfo;
        this.shared = shared;
        this.sharedProblem = sharedProblem;
        this.pointer = start;
        this.hostOf = new String[comm.size()];
        for (int r = 0; r < hostOf.length; r++) hostOf[r] = comm.mpi().hostId(comm.worldRank(r));
        this.ops = new FileOps(this);
    }

    // ------------------------------------------------------------------ open, close, delete

    /** {@link #open(Comm, String, int, Info)} without hints. */
    public static MpiFile open(Comm comm, String filename, int amode) {
        return open(comm, filename, amode, null);
    }

    /**
     * Opens {@code filename} on every rank of {@code comm} ({@code MPI_File_open}); collective, every rank passing the
     * same name and mode. {@code info} may carry hints ({@code cb_nodes}, {@code cb_buffer_size},
     * {@code romio_cb_write}, {@code romio_cb_read}, {@code striping_unit}); null for none.
     */
    public static MpiFile open(Comm comm, String filename, int amode, Info info) {
        String call = "MpiFile.open";
        if (comm == null) throw new MpiException(ErrorClass.ARG, call + ": comm is null");
        int n = comm.size(), me = comm.rank();
        long[] all = new long[2 * n];
        comm.allgather(new long[]{amode, filename == null ? 0 : filename.hashCode()}, all);
        for (int r = 0; r < n; r++) {
            if (all[2 * r] != amode) {
                throw new MpiException(ErrorClass.NOT_SAME, call + ": rank " + r + " passed amode=" + AccessMode.describe((int) all[2 * r])
                        + ", rank " + me + " amode=" + AccessMode.describe(amode) + " (every rank must pass the same)");
            }
            if (all[2 * r + 1] != all[1]) {
                throw new MpiException(ErrorClass.NOT_SAME, call + ": ranks 0 and " + r + " passed different file names");
            }
        }
        if (filename == null || filename.isEmpty()) throw new MpiException(ErrorClass.BAD_FILE, call + ": filename is null or empty");
        AccessMode.check(call, amode);
        Path path;
        try {
            path = Path.of(filename);
        } catch (InvalidPathException e) {
            throw new MpiException(ErrorClass.BAD_FILE, call + ": filename=\"" + filename + "\" is not a valid path: " + e.getMessage());
        }
        Map<String, String> user = info == null ? Map.of() : infoMap(info);
        Hints hints = new Hints(hostCount(comm)).apply(user, n);
        // rank 0 checks existence and creates; everyone learns the outcome from it
        String verdict = me == 0 ? prepare(call, path, amode) : null;
        verdict = comm.bcastObject(verdict, 0);
        if (verdict != null) throw decode(verdict);
        FileChannel ch = null;
        String problem = null;
        long start = 0;
        try {
            List<StandardOpenOption> o = new ArrayList<>();
            if (AccessMode.canRead(amode)) o.add(StandardOpenOption.READ);
            if (AccessMode.canWrite(amode)) o.add(StandardOpenOption.WRITE);
            ch = FileChannel.open(path, o.toArray(new StandardOpenOption[0]));
            // MODE_APPEND: the end of file before any rank can leave open (and write) is where the pointers start
            if ((amode & MODE_APPEND) != 0) start = ch.size();
        } catch (IOException | RuntimeException e) {
            problem = encode(io.jmpi.io.FileData.failure(call, "opening " + filename, e instanceof IOException ? (IOException) e : new IOException(e)));
        }
        settleOpen(comm, call, problem, ch);
        Comm priv = comm.dup();
        // the shared file pointer's side file: made by rank 0 before anyone opens it
        Path side = SharedPointer.sideFile(path);
        String sideProblem = null;
        if (me == 0) {
            try {
                SharedPointer.create(side, start);
            } catch (IOException e) {
                sideProblem = "cannot create the shared file pointer's file " + side + ": " + e;
            }
        }
        sideProblem = priv.bcastObject(sideProblem, 0);
        SharedPointer sp = null;
        if (sideProblem == null) {
            try {
                sp = SharedPointer.open(side);
            } catch (IOException e) {
                sideProblem = "cannot open the shared file pointer's file " + side + ": " + e;
            }
        }
        return new MpiFile(comm, priv, path, ch, amode, hints, user, sp, sideProblem, start);
    }

    /** Rank 0's part of open: existence, EXCL, CREATE. Null when the others may open, else an encoded error. */
    private static String prepare(String call, Path path, int amode) {
        boolean exists = Files.exists(path);
        if (exists && (amode & MODE_EXCL) != 0) {
            return encode(new MpiException(ErrorClass.FILE_EXISTS, call + ": " + path + " exists and amode has MODE_EXCL"));
        }
        if (!exists && (amode & MODE_CREATE) == 0) {
            return encode(new MpiException(ErrorClass.NO_SUCH_FILE, call + ": " + path + " does not exist (amode="
                    + AccessMode.describe(amode) + ", add MODE_CREATE to create it)"));
        }
        if (Files.isDirectory(path)) return encode(new MpiException(ErrorClass.BAD_FILE, call + ": " + path + " is a directory"));
        if (!exists) {
            try {
                Files.createFile(path);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if ((amode & MODE_EXCL) != 0) return encode(new MpiException(ErrorClass.FILE_EXISTS, call + ": " + path + " exists and amode has MODE_EXCL"));
            } catch (NoSuchFileException e) {
                return encode(new MpiException(ErrorClass.NO_SUCH_FILE, call + ": the directory of " + path + " does not exist"));
            } catch (IOException e) {
                return encode(io.jmpi.io.FileData.failure(call, "creating " + path, e));
            }
        }
        return null;
    }

    /** Every rank learns whether every rank opened the file; all fail together, each closing its channel. */
    private static void settleOpen(Comm comm, String call, String problem, FileChannel ch) {
        int n = comm.size();
        int[] failed = new int[n];
        comm.allgather(new int[]{problem == null ? 0 : 1}, failed);
        for (int r = 0; r < n; r++) {
            if (failed[r] == 0) continue;
            try {
                if (ch != null) ch.close();
            } catch (IOException ignored) {
                // the open failed anyway; the error below is the one that matters
            }
            if (problem != null) throw decode(problem);
            throw new MpiException(ErrorClass.FILE, call + ": rank " + r + " could not open the file (see its error)");
        }
    }

    private static String encode(MpiException e) {
        return e.errorClass().name() + "|" + e.getMessage();
    }

    private static MpiException decode(String s) {
        int bar = s.indexOf('|');
        return new MpiException(ErrorClass.valueOf(s.substring(0, bar)), s.substring(bar + 1));
    }

    private static int hostCount(Comm comm) {
        String[] h = new String[comm.size()];
        for (int r = 0; r < h.length; r++) h[r] = comm.mpi().hostId(comm.worldRank(r));
        return io.jmpi.io.FileDomains.hosts(h);
    }

    private static Map<String, String> infoMap(Info info) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String k : info.keys()) m.put(k, info.get(k));
        return m;
    }

    /**
     * Closes the file on every rank ({@code MPI_File_close}); collective. Deletes it if it was opened with
     * {@code MODE_DELETE_ON_CLOSE}. Like ROMIO on a local file system it does not fsync: call {@link #sync} for that.
     * A second close does nothing.
     */
    @Override
    public void close() {
        if (closed) return;
        ops.close();
    }

    /** {@link #delete(String, Info)} without hints. */
    public static void delete(String filename) {
        delete(filename, null);
    }

    /** Deletes a file that no rank has open ({@code MPI_File_delete}); NO_SUCH_FILE if it does not exist. */
    public static void delete(String filename, Info info) {
        String call = "MpiFile.delete";
        if (filename == null || filename.isEmpty()) throw new MpiException(ErrorClass.BAD_FILE, call + ": filename is null or empty");
        try {
            Path p = Path.of(filename);
            Files.delete(p);
            SharedPointer.delete(SharedPointer.sideFile(p));
        } catch (NoSuchFileException e) {
            throw new MpiException(ErrorClass.NO_SUCH_FILE, call + ": " + filename + " does not exist");
        } catch (InvalidPathException e) {
            throw new MpiException(ErrorClass.BAD_FILE, call + ": filename=\"" + filename + "\" is not a valid path");
        } catch (IOException e) {
            throw io.jmpi.io.FileData.failure(call, "deleting " + filename, e);
        }
    }

    // ------------------------------------------------------------------ queries and management

    void checkOpen(String call) {
        if (closed) throw new MpiException(ErrorClass.FILE, call + ": the file " + path + " is closed");
    }

    /** The file's size in bytes ({@code MPI_File_get_size}). */
    public long getSize() {
        checkOpen("getSize");
        try {
            return ch.size();
        } catch (IOException e) {
            throw io.jmpi.io.FileData.failure("getSize", "sizing " + path, e);
        }
    }

    /** Truncates or extends the file to {@code size} bytes ({@code MPI_File_set_size}); collective, same size everywhere. */
    public void setSize(long size) {
        ops.resize("setSize", size, true);
    }

    /** Makes the file at least {@code size} bytes long ({@code MPI_File_preallocate}); collective, never shrinks. */
    public void preallocate(long size) {
        ops.resize("preallocate", size, false);
    }

    /** Flushes this rank's writes to the storage device ({@code MPI_File_sync}, fsync); collective. */
    public void sync() {
        ops.sync();
    }

    /** Sets atomic mode ({@code MPI_File_set_atomicity}); collective, same flag everywhere. */
    public void setAtomicity(boolean flag) {
        ops.setAtomicity(flag);
    }

    /** Whether atomic mode is on ({@code MPI_File_get_atomicity}). */
    public boolean getAtomicity() {
        return atomic;
    }

    /** The access mode the file was opened with ({@code MPI_File_get_amode}). */
    public int getAmode() {
        return amode;
    }

    /** The group of the communicator that opened the file ({@code MPI_File_get_group}). */
    public Group getGroup() {
        return comm.group();
    }

    /** The hints in effect and the other keys given at open or by {@link #setInfo} ({@code MPI_File_get_info}). */
    public Info getInfo() {
        Info i = new Info();
        synchronized (userInfo) {
            for (Map.Entry<String, String> e : userInfo.entrySet()) i.set(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : hints.toMap().entrySet()) i.set(e.getKey(), e.getValue());
        return i;
    }

    /** Adds hints ({@code MPI_File_set_info}); collective. Hints that change aggregation apply to later calls. */
    public void setInfo(Info info) {
        checkOpen("setInfo");
        if (info == null) return;
        Map<String, String> m = infoMap(info);
        ops.collective("setInfo", FileOps.OP_SET_INFO, null, 0, 0, all -> {
            synchronized (userInfo) {
                userInfo.putAll(m);
            }
            hints.apply(m, comm.size());
            return null;
        });
    }

    /** The path the file was opened with. */
    public Path path() {
        return path;
    }

    // ------------------------------------------------------------------ views

    /** {@link #setView(long, Datatype, Datatype, String, Info)} with {@code "native"} and no hints. */
    public void setView(long disp, Datatype etype, Datatype filetype) {
        setView(disp, etype, filetype, "native", null);
    }

    /**
     * Sets this rank's view of the file ({@code MPI_File_set_view}); collective, every rank passing an etype of the
     * same size and the same data representation (only {@code "native"}). The data of an access fills the
     * filetype's runs, tile after tile from byte {@code disp}; offsets and file pointers then count etypes. Resets
     * both file pointers to 0.
     */
    public void setView(long disp, Datatype etype, Datatype filetype, String datarep, Info info) {
        String call = "setView";
        checkOpen(call);
        MpiException bad = null;
        FileView v = null;
        try {
            v = view(call, disp, etype, filetype, datarep);
        } catch (MpiException e) {
            bad = e;
        }
        FileView nv = v;
        Map<String, String> m = info == null ? Map.of() : infoMap(info);
        ops.collective(call, FileOps.OP_SET_VIEW, bad, nv == null ? 0 : nv.etypeSize(), 0, all -> {
            for (int r = 0; r < comm.size(); r++) {
                if (all[FileOps.HEADER * r + FileOps.A] != nv.etypeSize()) {
                    throw new MpiException(ErrorClass.NOT_SAME, call + ": rank " + r + " passed an etype of " + all[FileOps.HEADER * r + FileOps.A]
                            + " bytes, rank " + comm.rank() + " " + etype + " of " + nv.etypeSize() + " (MPI requires the same etype extent on every rank)");
                }
            }
            this.view = nv;
            this.etype = etype;
            this.filetype = filetype;
            this.datarep = datarep;
            hints.apply(m, comm.size());
            synchronized (this) {
                pointer = 0;
            }
            if (comm.rank() == 0 && shared != null) shared.update(x -> 0, call);
            priv.barrier();
            return null;
        });
    }

    private static FileView view(String call, long disp, Datatype etype, Datatype filetype, String datarep) {
        if (disp < 0) throw new MpiException(ErrorClass.ARG, call + ": disp=" + disp + " out of range [0, " + Long.MAX_VALUE + "]");
        if (etype == null) throw new MpiException(ErrorClass.TYPE, call + ": etype is null");
        if (filetype == null) throw new MpiException(ErrorClass.TYPE, call + ": filetype is null");
        if (datarep == null || !(datarep.equals("native") || datarep.equals("internal"))) {
            throw new MpiException(ErrorClass.UNSUPPORTED_DATAREP, call + ": datarep=\"" + datarep
                    + "\" is not supported (supported: \"native\", \"internal\")");
        }
        etype.layout(call);
        Layout l = filetype.layout(call);
        int unit = l.unit();
        List<long[]> runs = new ArrayList<>();
        for (int i = 0; i < l.runs(); i++) {
            long off = (long) l.offset(i) * unit, len = (long) l.length(i) * unit;
            long[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && last[0] + last[1] == off) last[1] += len;
            else runs.add(new long[]{off, len});
        }
        long[] off = new long[runs.size()], len = new long[runs.size()];
        for (int i = 0; i < off.length; i++) {
            off[i] = runs.get(i)[0];
            len[i] = runs.get(i)[1];
        }
        return new FileView(disp, etype.size(), off, len, filetype.extent(), etype.toString(), filetype.toString());
    }

    /** The view's displacement in bytes ({@code MPI_File_get_view}). */
    public long getViewDisp() { return view.disp(); }

    /** The view's etype ({@code MPI_File_get_view}). */
    public Datatype getViewEtype() { return etype; }

    /** The view's filetype ({@code MPI_File_get_view}). */
    public Datatype getViewFiletype() { return filetype; }

    /** The view's data representation ({@code MPI_File_get_view}). */
    public String getViewDatarep() { return datarep; }

    /** The absolute byte offset of view offset {@code offset} (etypes) ({@code MPI_File_get_byte_offset}). */
    public long getByteOffset(long offset) {
        checkOpen("getByteOffset");
        if (offset < 0) throw new MpiException(ErrorClass.ARG, "getByteOffset: offset=" + offset + " out of range [0, " + Long.MAX_VALUE + "]");
        FileView v = view;
        return v.byteOffset(offset * v.etypeSize());
    }

    // ------------------------------------------------------------------ file pointers

    /** Moves the individual file pointer ({@code MPI_File_seek}); {@code whence} is SEEK_SET, SEEK_CUR or SEEK_END. */
    public synchronized void seek(long offset, int whence) {
        String call = "seek";
        checkOpen(call);
        ops.noSequential(call);
        pointer = ops.target(call, pointer, offset, whence);
    }

    /** The individual file pointer, etypes of the view ({@code MPI_File_get_position}). */
    public synchronized long getPosition() {
        checkOpen("getPosition");
        return pointer;
    }

    /** Moves the shared file pointer ({@code MPI_File_seek_shared}); collective, same arguments everywhere. */
    public void seekShared(long offset, int whence) {
        ops.seekShared(offset, whence);
    }

    /** The shared file pointer, etypes of the view ({@code MPI_File_get_position_shared}). */
    public long getPositionShared() {
        String call = "getPositionShared";
        checkOpen(call);
        return ops.sharedPointer(call).get(call);
    }

    // ------------------------------------------------------------------ data access (FileAccess's calls land here)

    @Override
    Status access(String call, int kind, long offset, Object buf, int bufOffset, int count, Datatype type) {
        return ops.access(call, kind, offset, buf, bufOffset, count, type, false).await();
    }

    @Override
    Request iaccess(String call, int kind, long offset, Object buf, int bufOffset, int count, Datatype type) {
        return ops.access(call, kind, offset, buf, bufOffset, count, type, true);
    }

    @Override
    public String toString() {
        return "MpiFile(" + path + ", " + AccessMode.describe(amode) + (closed ? ", closed" : "") + ")";
    }
}
