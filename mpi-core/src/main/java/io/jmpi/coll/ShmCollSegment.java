package io.jmpi.coll;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.Log;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.DataType;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static io.jmpi.wire.ShmCollDescriptor.*;

/**
 * The mapped segment of one communicator's shared-memory collectives ({@link io.jmpi.wire.ShmCollDescriptor}):
 * creation by the communicator's rank 0, attach and validation by the others, unlink by the last to attach, and
 * the flags, read and written with acquire/release. It knows nothing of collectives; {@link ShmCollectives} does.
 */
final class ShmCollSegment {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    final int size;
    final int slotBytes;
    final int bankBytes;
    private final ByteBuffer seg;
    /** banks[r][b]: a view of bank b of rank r's slot, position free for copies (one collective at a time uses them). */
    private final ByteBuffer[][] banks;
    /** views[r][b][type]: typed views of the banks, made at first use (array copies without a view per copy). */
    private final java.nio.Buffer[][][] views;

    private ShmCollSegment(ByteBuffer seg, int size, int slotBytes) {
        this.seg = seg;
        this.size = size;
        this.slotBytes = slotBytes;
        this.bankBytes = slotBytes / 2;
        this.banks = new ByteBuffer[size][2];
        this.views = new java.nio.Buffer[size][2][DataType.values().length];
        for (int r = 0; r < size; r++) {
            for (int b = 0; b < 2; b++) {
                int at = Math.toIntExact(bankOffset(size, slotBytes, r, b));
                banks[r][b] = seg.slice(at, bankBytes).order(ByteOrder.LITTLE_ENDIAN);
            }
        }
    }

    /**
     * Creates (rank 0) or attaches (the others) the segment of a communicator; the last rank to attach unlinks the
     * file. Fails with TIMEOUT if the file does not appear by {@code deadline} (System.nanoTime), PROTOCOL if it is
     * not this communicator's.
     */
    static ShmCollSegment open(Path dir, long jobId, int context, int leader, int rank, int size, int slotBytes,
                               long deadline) {
        Path file = dir.resolve(fileName(jobId, context, leader));
        long bytes = segmentSize(size, slotBytes);
        ShmCollSegment s = rank == 0 ? create(file, jobId, context, leader, size, slotBytes, bytes)
                : attach(file, jobId, context, leader, size, slotBytes, bytes, deadline);
        long attached = (long) LONGS.getAndAdd(s.seg, ATTACHED_OFFSET, 1L) + 1;
        if (attached == size) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                Log.warn(rank, "shm collectives: cannot remove " + file + ": " + e.getMessage());
            }
        }
        return s;
    }

    private static ShmCollSegment create(Path file, long jobId, int context, int leader, int size, int slotBytes, long bytes) {
        MappedByteBuffer m;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            m = ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes); // grows the (sparse) file to its size
        } catch (FileAlreadyExistsException e) {
            throw new MpiException(ErrorClass.IO, "shm collectives: segment " + file + " exists already (a stale file of this job?)", e);
        } catch (IOException e) {
            throw new MpiException(ErrorClass.IO, "shm collectives: cannot create segment " + file + " (" + bytes + " bytes): " + e.getMessage(), e);
        }
        m.order(ByteOrder.LITTLE_ENDIAN);
        m.putLong(MAGIC_OFFSET, MAGIC);
        m.putInt(VERSION_OFFSET, VERSION);
        m.putInt(SIZE_OFFSET, size);
        m.putLong(JOB_OFFSET, jobId);
        m.putInt(CONTEXT_OFFSET, context);
        m.putInt(LEADER_OFFSET, leader);
        m.putInt(SLOT_BYTES_OFFSET, slotBytes);
        INTS.setRelease(m, READY_OFFSET, 1);
        return new ShmCollSegment(m, size, slotBytes);
    }

    private static ShmCollSegment attach(Path file, long jobId, int context, int leader, int size, int slotBytes,
                                         long bytes, long deadline) {
        while (true) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                if (ch.size() >= HEADER_SIZE) {
                    ByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
                    if ((int) INTS.getAcquire(m, READY_OFFSET) == 1) {
                        validate(file, m, jobId, context, leader, size, slotBytes, bytes);
                        return new ShmCollSegment(m, size, slotBytes);
                    }
                }
            } catch (NoSuchFileException e) {
                // not created yet
            } catch (IOException e) {
                throw new MpiException(ErrorClass.IO, "shm collectives: cannot map " + file + ": " + e.getMessage(), e);
            }
            if (System.nanoTime() > deadline) {
                throw new MpiException(ErrorClass.TIMEOUT, "shm collectives: segment " + file + " did not appear (did every rank "
                        + "of the communicator call the collective?)");
            }
            Thread.yield();
        }
    }

    private static void validate(Path file, ByteBuffer m, long jobId, int context, int leader, int size, int slotBytes, long bytes) {
        String why = null;
        if (m.getLong(MAGIC_OFFSET) != MAGIC) why = "not a jmpi collective segment";
        else if (m.getInt(VERSION_OFFSET) != VERSION) why = "version " + m.getInt(VERSION_OFFSET) + ", this rank speaks " + VERSION;
        else if (m.getLong(JOB_OFFSET) != jobId) why = "it belongs to job " + Long.toHexString(m.getLong(JOB_OFFSET));
        else if (m.getInt(CONTEXT_OFFSET) != context || m.getInt(LEADER_OFFSET) != leader) why = "it belongs to another communicator";
        else if (m.getInt(SIZE_OFFSET) != size || m.getInt(SLOT_BYTES_OFFSET) != slotBytes || m.capacity() < bytes) {
            why = "geometry " + m.getInt(SIZE_OFFSET) + " ranks x " + m.getInt(SLOT_BYTES_OFFSET) + " bytes, expected " + size
                    + " x " + slotBytes + " (do all ranks use the same collShmSlot?)";
        }
        if (why != null) throw new MpiException(ErrorClass.PROTOCOL, "shm collectives: segment " + file + " rejected: " + why);
    }

    // ------------------------------------------------------------------ flags

    long ready(int r) {
        return (long) LONGS.getAcquire(seg, flagOffset(r, FLAG_READY));
    }

    long done(int r) {
        return (long) LONGS.getAcquire(seg, flagOffset(r, FLAG_DONE));
    }

    void publishReady(int r, long epoch) {
        LONGS.setRelease(seg, flagOffset(r, FLAG_READY), epoch);
    }

    void publishDone(int r, long epoch) {
        LONGS.setRelease(seg, flagOffset(r, FLAG_DONE), epoch);
    }

    /** Bank of rank {@code r} for {@code epoch}, positioned at {@code at}. */
    ByteBuffer bank(int r, long epoch, int at) {
        ByteBuffer b = banks[r][(int) (epoch & 1)];
        b.limit(bankBytes).position(at);
        return b;
    }

    /**
     * Copies {@code n} elements of {@code type} between the primitive array {@code a} (from index {@code first}) and
     * rank {@code r}'s bank of {@code epoch} (from byte {@code at}, a multiple of the element size): into the bank if
     * {@code out}, else out of it. Types without a typed buffer (boolean) return false and copy nothing.
     */
    boolean copy(boolean out, int r, long epoch, int at, DataType type, Object a, int first, int n) {
        int b = (int) (epoch & 1);
        switch (type) {
            case BYTE: case OBJECT: {
                ByteBuffer v = banks[r][b];
                if (out) v.put(at, (byte[]) a, first, n); else v.get(at, (byte[]) a, first, n);
                return true;
            }
            case SHORT: { ShortBuffer v = (ShortBuffer) view(r, b, type); int i = at >> 1; if (out) v.put(i, (short[]) a, first, n); else v.get(i, (short[]) a, first, n); return true; }
            case CHAR: { CharBuffer v = (CharBuffer) view(r, b, type); int i = at >> 1; if (out) v.put(i, (char[]) a, first, n); else v.get(i, (char[]) a, first, n); return true; }
            case INT: { IntBuffer v = (IntBuffer) view(r, b, type); int i = at >> 2; if (out) v.put(i, (int[]) a, first, n); else v.get(i, (int[]) a, first, n); return true; }
            case LONG: { LongBuffer v = (LongBuffer) view(r, b, type); int i = at >> 3; if (out) v.put(i, (long[]) a, first, n); else v.get(i, (long[]) a, first, n); return true; }
            case FLOAT: { FloatBuffer v = (FloatBuffer) view(r, b, type); int i = at >> 2; if (out) v.put(i, (float[]) a, first, n); else v.get(i, (float[]) a, first, n); return true; }
            case DOUBLE: { DoubleBuffer v = (DoubleBuffer) view(r, b, type); int i = at >> 3; if (out) v.put(i, (double[]) a, first, n); else v.get(i, (double[]) a, first, n); return true; }
            default: return false;
        }
    }

    private java.nio.Buffer view(int r, int b, DataType type) {
        java.nio.Buffer v = views[r][b][type.ordinal()];
        if (v != null) return v;
        ByteBuffer bank = banks[r][b].duplicate().clear().order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case SHORT: v = bank.asShortBuffer(); break;
            case CHAR: v = bank.asCharBuffer(); break;
            case INT: v = bank.asIntBuffer(); break;
            case LONG: v = bank.asLongBuffer(); break;
            case FLOAT: v = bank.asFloatBuffer(); break;
            case DOUBLE: v = bank.asDoubleBuffer(); break;
            default: throw new IllegalArgumentException("no typed view for " + type);
        }
        views[r][b][type.ordinal()] = v;
        return v;
    }
}
