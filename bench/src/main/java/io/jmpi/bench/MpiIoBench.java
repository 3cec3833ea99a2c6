package io.jmpi.bench;

import io.jmpi.Comm;
import io.jmpi.Datatype;
import io.jmpi.Info;
import io.jmpi.Mpi;
import io.jmpi.MpiFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * MPI-IO write bandwidth (bench/mpiio.sh runs it): a block-distributed array of doubles, {@code BYTES} in all, each
 * rank its contiguous block through a subarray view, written with one collective write ({@code writeAtAll}), against
 * one process writing the same bytes with a plain {@link FileChannel} in 16 MiB requests from a direct buffer. Both time
 * from just before the first write to the end of the fsync ({@code fsync=yes}) or of the last write ({@code fsync=no});
 * opening and closing are outside, and the file is deleted first, so both sides allocate its blocks.
 *
 * <pre>
 *   MpiIoBench plain FILE BYTES yes|no                  (no jmpirun: one process)
 *   jmpirun -np N ... MpiIoBench mpiio FILE BYTES yes|no [cb]   (cb: force two-phase, romio_cb_write=enable)
 * </pre>
 * Prints {@code mpiio-bench mode=... np=... bytes=... seconds=... MBps=...}.
 */
public final class MpiIoBench {
    private MpiIoBench() {
    }

    public static void main(String[] args) throws IOException {
        String mode = args[0];
        Path file = Path.of(args[1]);
        long bytes = Long.parseLong(args[2]);
        boolean fsync = args[3].equals("yes");
        if (mode.equals("plain")) plain(file, bytes, fsync);
        else mpiio(file, bytes, fsync, args.length > 4 && args[4].equals("cb"), args);
    }

    private static void plain(Path file, long bytes, boolean fsync) throws IOException {
        Files.deleteIfExists(file);
        // the same bytes as the ranks write (the doubles 0, 1, 2, ... little-endian), ready in one direct buffer
        ByteBuffer all = ByteBuffer.allocateDirect((int) bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < bytes / 8; i++) all.putDouble(8 * i, i);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long t0 = System.nanoTime();
            for (long off = 0; off < bytes; ) {
                ByteBuffer chunk = all.slice((int) off, (int) Math.min(16 << 20, bytes - off));
                while (chunk.hasRemaining()) off += ch.write(chunk, off);
            }
            if (fsync) ch.force(true);
            report("plain", 1, bytes, fsync, System.nanoTime() - t0);
        }
        Files.deleteIfExists(file);
    }

    private static void mpiio(Path file, long bytes, boolean fsync, boolean cb, String[] args) {
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            int me = w.rank(), n = w.size();
            long elements = bytes / 8;
            int lo = (int) (elements * me / n), hi = (int) (elements * (me + 1) / n);
            double[] block = new double[hi - lo];
            for (int i = 0; i < block.length; i++) block[i] = lo + i;
            Datatype view = Datatype.subarray(new int[]{(int) elements}, new int[]{hi - lo}, new int[]{lo}, Datatype.Order.C,
                    Datatype.DOUBLE).commit();
            if (me == 0) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            Info info = new Info();
            if (cb) info.set("romio_cb_write", "enable");
            w.barrier();
            try (MpiFile f = MpiFile.open(w, file.toString(), MpiFile.MODE_CREATE | MpiFile.MODE_WRONLY, info)) {
                f.setView(0, Datatype.DOUBLE, view);
                w.barrier();
                long t0 = System.nanoTime();
                f.writeAtAll(0, block, 0, block.length);
                if (fsync) f.sync();
                w.barrier();
                long t = System.nanoTime() - t0;
                if (me == 0) report(cb ? "mpiio-cb" : "mpiio", n, bytes, fsync, t);
            }
            w.barrier();
            if (me == 0) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
    }

    private static void report(String mode, int np, long bytes, boolean fsync, long nanos) {
        double s = nanos / 1e9;
        System.out.printf("mpiio-bench mode=%s np=%d bytes=%d fsync=%s seconds=%.3f MBps=%.1f%n", mode, np, bytes,
                fsync ? "yes" : "no", s, bytes / s / 1e6);
    }
}
