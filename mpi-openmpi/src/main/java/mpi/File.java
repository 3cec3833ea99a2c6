package mpi;

import io.jmpi.MpiFile;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * A file opened by all ranks of a communicator ({@code MPI_File}), with Open MPI's Java signatures, over jmpi's native
 * MPI-IO ({@link io.jmpi.MpiFile}, docs/MPI-IO.md). As in Open MPI, a buffer is a primitive array or a
 * {@code java.nio} buffer whose data starts at its element 0; the non-blocking calls take direct buffers
 * ({@code MPI.newByteBuffer}, {@code MPI.newIntBuffer}, ...). Offsets count etypes of the view; the data representation
 * is {@code "native"} (little-endian, what Open MPI writes on x86-64 and aarch64).
 *
 * <p>Errors are {@link MPIException}s with Open MPI's MPI-IO error classes ({@link MPI#ERR_NO_SUCH_FILE},
 * {@link MPI#ERR_AMODE}, {@link MPI#ERR_READ_ONLY}, {@link MPI#ERR_IO}, ...). MPI's default file error handler is
 * {@link MPI#ERRORS_RETURN}, so they are thrown; after {@code setErrhandler(MPI.ERRORS_ARE_FATAL)} a failure aborts the
 * job. A collective call whose arguments are bad on one rank fails on every rank (no rank hangs).
 */
public final class File {
    private final MpiFile f;
    private final Comm comm;
    private Datatype etype = MPI.BYTE, filetype = MPI.BYTE;
    private String datarep = "native";
    private Errhandler errhandler = MPI.ERRORS_RETURN;
    /** The active split collective ({@code ...Begin} called, {@code ...End} not yet), or null. */
    private FileSplit split;

    /** {@code MPI_File_open} without hints; collective over {@code comm}. */
    public File(Comm comm, String filename, int amode) throws MPIException {
        this(comm, filename, amode, null);
    }

    /** {@code MPI_File_open}; collective over {@code comm}, every rank passing the same name and mode. */
    public File(Comm comm, String filename, int amode, Info info) throws MPIException {
        if (comm == null) throw new MPIException("File: comm is null", MPI.ERR_COMM, null);
        io.jmpi.Comm c = comm.c("File");
        io.jmpi.Info i = hints(info);
        this.comm = comm;
        try {
            this.f = MpiFile.open(c, filename, amode, i);
        } catch (MpiException e) {
            throw error(e, MPI.ERRORS_RETURN);
        }
    }

    private static io.jmpi.Info hints(Info info) {
        return info == null || info.isNull() ? null : info.i;
    }

    // ------------------------------------------------------------------ errors

    interface Call<T> {
        T run();
    }

    /** Runs a native call; its failure becomes an MPIException of Open MPI's class, or aborts under ERRORS_ARE_FATAL. */
    private <T> T run(Call<T> c) throws MPIException {
        try {
            return c.run();
        } catch (MpiException e) {
            throw error(e, errhandler);
        }
    }

    private void runVoid(Runnable r) throws MPIException {
        run(() -> { r.run(); return null; });
    }

    private MPIException error(MpiException e, Errhandler h) throws MPIException {
        // a file's I/O failure is MPI_ERR_IO (jmpi's IO class also covers transports, which the adapter maps elsewhere)
        int cls = e.errorClass() == ErrorClass.IO ? MPI.ERR_IO : Errors.classOf(e);
        MPIException x = new MPIException(e.getMessage(), cls, e);
        if (h == MPI.ERRORS_ARE_FATAL) comm.abort(cls);
        return x;
    }

    private MPIException fail(String message, int cls) throws MPIException {
        MPIException x = new MPIException(message, cls, null);
        if (errhandler == MPI.ERRORS_ARE_FATAL) comm.abort(cls);
        return x;
    }

    // ------------------------------------------------------------------ open, close, delete, management

    /** {@code MPI_File_close}; collective. Deletes the file if it was opened with {@link MPI#MODE_DELETE_ON_CLOSE}. */
    public void close() throws MPIException {
        runVoid(f::close);
    }

    /** {@code MPI_File_delete} without hints. */
    public static void delete(String filename) throws MPIException {
        delete(filename, null);
    }

    /** {@code MPI_File_delete}: {@link MPI#ERR_NO_SUCH_FILE} if it does not exist. */
    public static void delete(String filename, Info info) throws MPIException {
        MPI.env("File.delete");
        try {
            MpiFile.delete(filename, hints(info));
        } catch (MpiException e) {
            throw new MPIException(e.getMessage(), e.errorClass() == ErrorClass.IO ? MPI.ERR_IO : Errors.classOf(e), e);
        }
    }

    /** {@code MPI_File_set_size}; collective. */
    public void setSize(long size) throws MPIException {
        runVoid(() -> f.setSize(size));
    }

    /** {@code MPI_File_preallocate}; collective. */
    public void preallocate(long size) throws MPIException {
        runVoid(() -> f.preallocate(size));
    }

    /** {@code MPI_File_get_size}, in bytes. */
    public long getSize() throws MPIException {
        return run(f::getSize);
    }

    /** {@code MPI_File_get_group}. */
    public Group getGroup() throws MPIException {
        return new Group(run(f::getGroup));
    }

    /** {@code MPI_File_get_amode}. */
    public int getAMode() throws MPIException {
        return run(f::getAmode);
    }

    /** {@code MPI_File_set_info}; collective. */
    public void setInfo(Info info) throws MPIException {
        io.jmpi.Info i = hints(info);
        runVoid(() -> f.setInfo(i));
    }

    /** {@code MPI_File_get_info}: the hints in effect ({@code cb_nodes}, {@code cb_buffer_size}, ...) and the keys given. */
    public Info getInfo() throws MPIException {
        return new Info(run(f::getInfo));
    }

    /** {@code MPI_File_set_view} without hints; collective. Resets both file pointers. */
    public void setView(long disp, Datatype etype, Datatype filetype, String datarep) throws MPIException {
        setView(disp, etype, filetype, datarep, null);
    }

    /**
     * {@code MPI_File_set_view}; collective, every rank passing an etype of the same size and the same data
     * representation ({@code "native"} or {@code "internal"}; {@code "external32"} is
     * {@link MPI#ERR_UNSUPPORTED_DATAREP}).
     */
    public void setView(long disp, Datatype etype, Datatype filetype, String datarep, Info info) throws MPIException {
        String call = "setView";
        io.jmpi.Datatype e = viewType(call, "etype", etype), ft = viewType(call, "filetype", filetype);
        io.jmpi.Info i = hints(info);
        runVoid(() -> f.setView(disp, e, ft, datarep, i));
        this.etype = etype;
        this.filetype = filetype;
        this.datarep = datarep;
    }

    private io.jmpi.Datatype viewType(String call, String arg, Datatype t) throws MPIException {
        if (t == null || t.isNull()) throw fail(call + ": " + arg + " is null", MPI.ERR_TYPE);
        t.check(call);
        return t.t;
    }

    /** {@code MPI_File_get_view}: displacement, etype, filetype and data representation. */
    public FileView getView() {
        return new FileView(f.getViewDisp(), etype, filetype, datarep);
    }

    /** {@code MPI_File_get_type_extent}: the extent of {@code type} in the file, in bytes ({@code "native"}: its extent). */
    public int getTypeExtent(Datatype type) throws MPIException {
        io.jmpi.Datatype t = viewType("getTypeExtent", "type", type);
        return (int) t.extent();
    }

    /** {@code MPI_File_set_atomicity}; collective. */
    public void setAtomicity(boolean atomicity) throws MPIException {
        runVoid(() -> f.setAtomicity(atomicity));
    }

    /** {@code MPI_File_get_atomicity}. */
    public boolean getAtomicity() throws MPIException {
        return run(f::getAtomicity);
    }

    /** {@code MPI_File_sync}; collective: this rank's writes reach the storage device (fsync). */
    public void sync() throws MPIException {
        runVoid(f::sync);
    }

    /** {@code MPI_File_set_errhandler}: {@link MPI#ERRORS_RETURN} (MPI's default for files) or {@link MPI#ERRORS_ARE_FATAL}. */
    public void setErrhandler(Errhandler errhandler) throws MPIException {
        if (errhandler == null || errhandler.isNull()) throw fail("setErrhandler: errhandler is null", MPI.ERR_ARG);
        this.errhandler = errhandler;
    }

    /** {@code MPI_File_get_errhandler}. */
    public Errhandler getErrhandler() throws MPIException {
        return errhandler;
    }

    /** {@code MPI_File_call_errhandler}: under {@link MPI#ERRORS_RETURN} nothing happens (as in C), else the job aborts. */
    public void callErrhandler(int errorCode) throws MPIException {
        if (errhandler == MPI.ERRORS_ARE_FATAL) comm.abort(errorCode);
    }

    // ------------------------------------------------------------------ file pointers

    /** {@code MPI_File_seek}: {@code whence} is {@link MPI#SEEK_SET}, {@link MPI#SEEK_CUR} or {@link MPI#SEEK_END}. */
    public void seek(long offset, int whence) throws MPIException {
        runVoid(() -> f.seek(offset, whence));
    }

    /** {@code MPI_File_get_position}, in etypes of the view. */
    public long getPosition() throws MPIException {
        return run(f::getPosition);
    }

    /** {@code MPI_File_get_byte_offset}: the absolute byte offset of view offset {@code offset}. */
    public long getByteOffset(long offset) throws MPIException {
        return run(() -> f.getByteOffset(offset));
    }

    /** {@code MPI_File_seek_shared}; collective, same arguments everywhere. */
    public void seekShared(long offset, int whence) throws MPIException {
        runVoid(() -> f.seekShared(offset, whence));
    }

    /** {@code MPI_File_get_position_shared}, in etypes of the view. */
    public long getPositionShared() throws MPIException {
        return run(f::getPositionShared);
    }

    // ------------------------------------------------------------------ data access

    /** {@code MPI_File_read_at}. */
    public Status readAt(long offset, Object buf, int count, Datatype type) throws MPIException {
        return blocking("readAt", FileSplit.READ_AT, offset, buf, count, type);
    }

    /** {@code MPI_File_read_at_all}; collective. */
    public Status readAtAll(long offset, Object buf, int count, Datatype type) throws MPIException {
        return blocking("readAtAll", FileSplit.READ_AT_ALL, offset, buf, count, type);
    }

    /** {@code MPI_File_write_at}. */
    public Status writeAt(long offset, Object buf, int count, Datatype type) throws MPIException {
        return blocking("writeAt", FileSplit.WRITE_AT, offset, buf, count, type);
    }

    /** {@code MPI_File_write_at_all}; collective. */
    public Status writeAtAll(long offset, Object buf, int count, Datatype type) throws MPIException {
        return blocking("writeAtAll", FileSplit.WRITE_AT_ALL, offset, buf, count, type);
    }

    /** {@code MPI_File_iread_at}: {@code buf} must be direct. */
    public Request iReadAt(long offset, Buffer buf, int count, Datatype type) throws MPIException {
        return nonBlocking("iReadAt", FileSplit.READ_AT, offset, buf, count, type);
    }

    /** {@code MPI_File_iread_at_all}; collective, {@code buf} must be direct. */
    public Request iReadAtAll(long offset, Buffer buf, int count, Datatype type) throws MPIException {
        return nonBlocking("iReadAtAll", FileSplit.READ_AT_ALL, offset, buf, count, type);
    }

    /** {@code MPI_File_iwrite_at}: {@code buf} must be direct. */
    public Request iWriteAt(long offset, Buffer buf, int count, Datatype type) throws MPIException {
        return nonBlocking("iWriteAt", FileSplit.WRITE_AT, offset, buf, count, type);
    }

    /** {@code MPI_File_iwrite_at_all}; collective, {@code buf} must be direct. */
    public Request iWriteAtAll(long offset, Buffer buf, int count, Datatype type) throws MPIException {
        return nonBlocking("iWriteAtAll", FileSplit.WRITE_AT_ALL, offset, buf, count, type);
    }

    /** {@code MPI_File_read}: at the individual file pointer, which advances. */
    public Status read(Object buf, int count, Datatype type) throws MPIException {
        return blocking("read", FileSplit.READ, 0, buf, count, type);
    }

    /** {@code MPI_File_read_all}; collective. */
    public Status readAll(Object buf, int count, Datatype type) throws MPIException {
        return blocking("readAll", FileSplit.READ_ALL, 0, buf, count, type);
    }

    /** {@code MPI_File_write}: at the individual file pointer, which advances. */
    public Status write(Object buf, int count, Datatype type) throws MPIException {
        return blocking("write", FileSplit.WRITE, 0, buf, count, type);
    }

    /** {@code MPI_File_write_all}; collective. */
    public Status writeAll(Object buf, int count, Datatype type) throws MPIException {
        return blocking("writeAll", FileSplit.WRITE_ALL, 0, buf, count, type);
    }

    /** {@code MPI_File_iread}: {@code buf} must be direct. */
    public Request iRead(Buffer buf, int count, Datatype type) throws MPIException {
        return nonBlocking("iRead", FileSplit.READ, 0, buf, count, type);
    }

    /** {@code MPI_File_iread_all}; collective, {@code buf} must be direct. */
    public Request iReadAll(Buffer buf, int count, Datatype type) throws MPIException {
        return nonBlocking("iReadAll", FileSplit.READ_ALL, 0, buf, count, type);
    }

    /** {@code MPI_File_iwrite}: {@code buf} must be direct. */
    public Request iWrite(Buffer buf, int count, Datatype type) throws MPIException {
        return nonBlocking("iWrite", FileSplit.WRITE, 0, buf, count, type);
    }

    /** {@code MPI_File_iwrite_all}; collective, {@code buf} must be direct. */
    public Request iWriteAll(Buffer buf, int count, Datatype type) throws MPIException {
        return nonBlocking("iWriteAll", FileSplit.WRITE_ALL, 0, buf, count, type);
    }

    /** {@code MPI_File_read_shared}: at the shared file pointer. */
    public Status readShared(Object buf, int count, Datatype type) throws MPIException {
        return blocking("readShared", FileSplit.READ_SHARED, 0, buf, count, type);
    }

    /** {@code MPI_File_write_shared}: at the shared file pointer. */
    public Status writeShared(Object buf, int count, Datatype type) throws MPIException {
        return blocking("writeShared", FileSplit.WRITE_SHARED, 0, buf, count, type);
    }

    /** {@code MPI_File_iread_shared}: {@code buf} must be direct. */
    public Request iReadShared(Buffer buf, int count, Datatype type) throws MPIException {
        return nonBlocking("iReadShared", FileSplit.READ_SHARED, 0, buf, count, type);
    }

    /** {@code MPI_File_iwrite_shared}: {@code buf} must be direct. */
    public Request iWriteShared(Buffer buf, int count, Datatype type) throws MPIException {
        return nonBlocking("iWriteShared", FileSplit.WRITE_SHARED, 0, buf, count, type);
    }

    /** {@code MPI_File_read_ordered}; collective, in rank order at the shared file pointer. */
    public Status readOrdered(Object buf, int count, Datatype type) throws MPIException {
        return blocking("readOrdered", FileSplit.READ_ORDERED, 0, buf, count, type);
    }

    /** {@code MPI_File_write_ordered}; collective, in rank order at the shared file pointer. */
    public Status writeOrdered(Object buf, int count, Datatype type) throws MPIException {
        return blocking("writeOrdered", FileSplit.WRITE_ORDERED, 0, buf, count, type);
    }

    // ------------------------------------------------------------------ split collectives

    /** {@code MPI_File_read_at_all_begin}. */
    public void readAtAllBegin(long offset, Object buf, int count, Datatype type) throws MPIException {
        begin("readAtAllBegin", FileSplit.READ_AT_ALL, offset, buf, count, type);
    }

    /** {@code MPI_File_read_at_all_end}: the status of the read begun by {@link #readAtAllBegin}. */
    public Status readAtAllEnd(Object buf) throws MPIException {
        return end("readAtAllEnd", FileSplit.READ_AT_ALL, buf);
    }

    /** {@code MPI_File_write_at_all_begin}. */
    public void writeAtAllBegin(long offset, Object buf, int count, Datatype type) throws MPIException {
        begin("writeAtAllBegin", FileSplit.WRITE_AT_ALL, offset, buf, count, type);
    }

    /** {@code MPI_File_write_at_all_end}. */
    public Status writeAtAllEnd(Object buf) throws MPIException {
        return end("writeAtAllEnd", FileSplit.WRITE_AT_ALL, buf);
    }

    /** {@code MPI_File_read_all_begin}. */
    public void readAllBegin(Object buf, int count, Datatype type) throws MPIException {
        begin("readAllBegin", FileSplit.READ_ALL, 0, buf, count, type);
    }

    /** {@code MPI_File_read_all_end}. */
    public Status readAllEnd(Object buf) throws MPIException {
        return end("readAllEnd", FileSplit.READ_ALL, buf);
    }

    /** {@code MPI_File_write_all_begin}. */
    public void writeAllBegin(Object buf, int count, Datatype type) throws MPIException {
        begin("writeAllBegin", FileSplit.WRITE_ALL, 0, buf, count, type);
    }

    /** {@code MPI_File_write_all_end}. */
    public Status writeAllEnd(Object buf) throws MPIException {
        return end("writeAllEnd", FileSplit.WRITE_ALL, buf);
    }

    /** {@code MPI_File_read_ordered_begin} (jmpi completes the read here; the end returns its status). */
    public void readOrderedBegin(Object buf, int count, Datatype type) throws MPIException {
        begin("readOrderedBegin", FileSplit.READ_ORDERED, 0, buf, count, type);
    }

    /** {@code MPI_File_read_ordered_end}. */
    public Status readOrderedEnd(Object buf) throws MPIException {
        return end("readOrderedEnd", FileSplit.READ_ORDERED, buf);
    }

    /** {@code MPI_File_write_ordered_begin} (jmpi completes the write here; the end returns its status). */
    public void writeOrderedBegin(Object buf, int count, Datatype type) throws MPIException {
        begin("writeOrderedBegin", FileSplit.WRITE_ORDERED, 0, buf, count, type);
    }

    /** {@code MPI_File_write_ordered_end}. */
    public Status writeOrderedEnd(Object buf) throws MPIException {
        return end("writeOrderedEnd", FileSplit.WRITE_ORDERED, buf);
    }

    // ------------------------------------------------------------------ the one path every data call takes

    private Status blocking(String call, int kind, long offset, Object buf, int count, Datatype type) throws MPIException {
        FileSplit.Target t = target(call, buf, count, type);
        io.jmpi.Status s = run(() -> FileSplit.blocking(f, kind, offset, t));
        if (FileSplit.reads(kind)) t.back();
        return new Status(s, MPI.UNDEFINED);
    }

    private Request nonBlocking(String call, int kind, long offset, Buffer buf, int count, Datatype type) throws MPIException {
        if (buf == null) throw fail(call + ": buf is null", MPI.ERR_BUFFER);
        if (!buf.isDirect()) {
            throw fail(call + ": buf must be a direct buffer (MPI.newByteBuffer, MPI.newIntBuffer, ...), as in Open MPI; "
                    + "a heap buffer or array works only with blocking calls", MPI.ERR_BUFFER);
        }
        FileSplit.Target t = target(call, buf, count, type);
        io.jmpi.Request r = run(() -> FileSplit.start(f, kind, offset, t));
        return new Request(r, FileSplit.reads(kind) ? t.back : null);
    }

    private synchronized void begin(String call, int kind, long offset, Object buf, int count, Datatype type) throws MPIException {
        if (split != null) {
            throw fail(call + ": the split collective " + split.call + " is still active on this file (call its End first)",
                    MPI.ERR_OTHER);
        }
        FileSplit.Target t = target(call, buf, count, type);
        io.jmpi.Request r = run(() -> FileSplit.start(f, kind, offset, t));
        split = new FileSplit(call, kind, buf, r, t);
    }

    private synchronized Status end(String call, int kind, Object buf) throws MPIException {
        FileSplit s = split;
        if (s == null || s.kind != kind) {
            throw fail(call + ": no matching split collective is active on this file" + (s == null ? "" : " (" + s.call
                    + " is)"), MPI.ERR_OTHER);
        }
        if (buf != s.buf) throw fail(call + ": buf is not the buffer given to " + s.call, MPI.ERR_BUFFER);
        split = null;
        io.jmpi.Status st = run(s.request::await);
        if (FileSplit.reads(kind)) s.target.back();
        return new Status(st, MPI.UNDEFINED);
    }

    /** What the native call reads or writes: the user's array or ByteBuffer itself, or a staged copy of a typed buffer. */
    private FileSplit.Target target(String call, Object buf, int count, Datatype type) throws MPIException {
        if (type == null || type.isNull()) throw fail(call + ": type is null", MPI.ERR_TYPE);
        type.check(call);
        if (count < 0) throw fail(call + ": count=" + count + " out of range [0, " + Integer.MAX_VALUE + "]", MPI.ERR_COUNT);
        io.jmpi.Datatype t = type.t;
        if (buf == null) {
            if (count == 0) return new FileSplit.Target(Bufs.emptyArray(type), 0, 0, t.isStruct() ? io.jmpi.Datatype.BYTE : t.base(), null);
            throw fail(call + ": buf is null", MPI.ERR_BUFFER);
        }
        if (buf.getClass().isArray()) return new FileSplit.Target(buf, 0, count, t, null);
        if (buf instanceof ByteBuffer) {
            ByteBuffer b = (ByteBuffer) buf;
            // Open MPI: the data starts at element 0 whatever the position
            return new FileSplit.Target(b.duplicate().clear().order(b.order()), 0, count, t, null);
        }
        if (!(buf instanceof Buffer)) {
            throw fail(call + ": buf is a " + buf.getClass().getName() + "; it must be a primitive array or a java.nio buffer",
                    MPI.ERR_BUFFER);
        }
        Buffer b = (Buffer) buf;
        if (b.hasArray()) return new FileSplit.Target(b.array(), b.arrayOffset(), count, t, null);
        // a direct IntBuffer, DoubleBuffer, ...: Java hands out neither its memory nor its bytes, so stage a copy
        Bufs.Run r = Bufs.of(call, "buf", buf, count, type);
        io.jmpi.Datatype base = t.isStruct() ? io.jmpi.Datatype.BYTE : t.base();
        return new FileSplit.Target(r.array, r.offset, r.count, base, r::back);
    }

    @Override
    public String toString() {
        return "File(" + f + ")";
    }
}
