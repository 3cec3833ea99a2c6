package io.jmpi.launch.testapps;

import io.jmpi.Comm;
import io.jmpi.Datatype;
import io.jmpi.Mpi;
import io.jmpi.MpiFile;

/**
 * A rank program for the MPI-IO cluster test: {@code FileApp PATH ROWS COLS} writes a ROWS x COLS array of doubles,
 * value (i, j) = i * 1000 + j + 0.5, to PATH (a directory every host shares), each rank its block of a 2-D grid of
 * ranks through a subarray view with one collective write; reads it back collectively and checks its block; a
 * second pass has every rank append one record through the shared file pointer of a second file {@code PATH.log}.
 * Prints {@code ready R of N on HOST host-id ID pid P}, then {@code mpiio ok R} (and rank 0 {@code aggregators K}).
 */
public final class FileApp {
    private FileApp() {
    }

    public static void main(String[] args) {
        String path = args[0];
        int rows = Integer.parseInt(args[1]), cols = Integer.parseInt(args[2]);
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            int me = w.rank(), n = w.size();
            System.out.println("ready " + me + " of " + n + " on " + mpi.processorName() + " host-id "
                    + io.jmpi.bootstrap.HostIdentity.hostId() + " pid " + ProcessHandle.current().pid());
            int[] dims = Mpi.dimsCreate(n, 2);
            int pr = me / dims[1], pc = me % dims[1];
            int r0 = rows * pr / dims[0], r1 = rows * (pr + 1) / dims[0], c0 = cols * pc / dims[1], c1 = cols * (pc + 1) / dims[1];
            double[] block = new double[(r1 - r0) * (c1 - c0)];
            for (int i = r0; i < r1; i++) for (int j = c0; j < c1; j++) block[(i - r0) * (c1 - c0) + j - c0] = i * 1000 + j + 0.5;
            Datatype sub = Datatype.subarray(new int[]{rows, cols}, new int[]{r1 - r0, c1 - c0}, new int[]{r0, c0},
                    Datatype.Order.C, Datatype.DOUBLE).commit();
            try (MpiFile f = MpiFile.open(w, path, MpiFile.MODE_CREATE | MpiFile.MODE_RDWR)) {
                if (me == 0) System.out.println("aggregators " + f.getInfo().get("cb_nodes"));
                f.setView(0, Datatype.DOUBLE, sub);
                if (f.writeAtAll(0, block, 0, block.length).count() != block.length) throw new AssertionError("short write");
                f.sync();
                double[] back = new double[block.length];
                f.readAtAll(0, back, 0, back.length);
                if (!java.util.Arrays.equals(block, back)) throw new AssertionError("rank " + me + " read back other data");
            }
            try (MpiFile log = MpiFile.open(w, path + ".log", MpiFile.MODE_CREATE | MpiFile.MODE_WRONLY)) {
                log.writeShared(new long[]{me, mpi.processorName().hashCode()}, 0, 2);
            }
            System.out.println("mpiio ok " + me);
        }
    }
}
