// Parallel I/O through Open MPI's Java API (mpi.File), written for jmpi's side-by-side check (OpenMpiProgramsIT): a
// block-distributed 8 x 12 array of doubles is written collectively through views of column blocks (a vector
// filetype at a displacement: the ranks' pieces interleave in the file) and read back; then the errors of bad input and their classes.
import mpi.*;

import java.nio.DoubleBuffer;

class FileIO {
    static final int ROWS = 8, COLS = 12;

    public static void main(String[] args) throws MPIException {
        MPI.Init(args);
        Intracomm world = MPI.COMM_WORLD;
        int rank = world.getRank(), size = world.getSize();
        long[] id = {ProcessHandle.current().pid()};
        world.bcast(id, 1, MPI.LONG, 0);
        String name = System.getProperty("java.io.tmpdir") + "/FileIO-" + id[0] + ".bin";

        int width = COLS / size, c0 = rank * width;
        double[] block = new double[ROWS * width];
        for (int r = 0; r < ROWS; r++) for (int c = 0; c < width; c++) block[r * width + c] = r * 100 + c0 + c;
        // this rank's columns [c0, c0 + width) of every row (Open MPI 4.1's Java API has no createSubarray)
        Datatype sub = Datatype.createVector(ROWS, width, COLS, MPI.DOUBLE);
        sub.commit();

        File f = new File(world, name, MPI.MODE_CREATE | MPI.MODE_RDWR);
        f.setView(c0 * 8L, MPI.DOUBLE, sub, "native");
        Status s = f.writeAll(block, block.length, MPI.DOUBLE);
        System.out.println("rank " + rank + " writeAll count " + s.getCount(MPI.DOUBLE) + " position " + f.getPosition());
        f.sync();
        System.out.println("rank " + rank + " size " + f.getSize() + " amode " + f.getAMode()
                + " view etype DOUBLE " + (f.getView().getEType() == MPI.DOUBLE) + " disp " + f.getView().getDisp());
        double[] back = new double[block.length];
        s = f.readAtAll(0, back, back.length, MPI.DOUBLE);
        System.out.println("rank " + rank + " readAtAll count " + s.getCount(MPI.DOUBLE) + " same "
                + java.util.Arrays.equals(block, back) + " byte offset of 1: " + (f.getByteOffset(1) - c0 * 8));

        // the plain view: each rank reads whole rows, non-blocking into a direct buffer
        f.setView(0, MPI.DOUBLE, MPI.DOUBLE, "native");
        DoubleBuffer row = MPI.newDoubleBuffer(COLS);
        int r = rank % ROWS;
        Request q = f.iReadAt((long) r * COLS, row, COLS, MPI.DOUBLE);
        s = q.waitStatus();
        boolean ok = true;
        for (int c = 0; c < COLS; c++) ok &= row.get(c) == r * 100 + c;
        System.out.println("rank " + rank + " iReadAt row " + r + " count " + s.getCount(MPI.DOUBLE) + " right " + ok);
        s = f.readAt(ROWS * COLS - 2, new double[5], 5, MPI.DOUBLE);
        System.out.println("rank " + rank + " readAt at the end: count " + s.getCount(MPI.DOUBLE));
        world.barrier();
        f.close();

        f = new File(world, name, MPI.MODE_RDONLY);
        try {
            f.writeAt(0, new double[1], 1, MPI.DOUBLE);
            System.out.println("rank " + rank + " write to a read-only file: no error");
        } catch (MPIException e) {
            System.out.println("rank " + rank + " write to a read-only file: class " + e.getErrorClass()
                    + " READ_ONLY " + (e.getErrorClass() == MPI.ERR_READ_ONLY) + " ACCESS " + (e.getErrorClass() == MPI.ERR_ACCESS));
        }
        f.close();
        try {
            new File(world, name + ".missing", MPI.MODE_RDONLY);
            System.out.println("rank " + rank + " open of a missing file: no error");
        } catch (MPIException e) {
            System.out.println("rank " + rank + " open of a missing file: class " + e.getErrorClass()
                    + " NO_SUCH_FILE " + (e.getErrorClass() == MPI.ERR_NO_SUCH_FILE));
        }
        try {
            new File(world, name, MPI.MODE_RDONLY | MPI.MODE_CREATE);
            System.out.println("rank " + rank + " open RDONLY|CREATE: no error");
        } catch (MPIException e) {
            System.out.println("rank " + rank + " open RDONLY|CREATE: class " + e.getErrorClass()
                    + " AMODE " + (e.getErrorClass() == MPI.ERR_AMODE));
        }
        world.barrier();
        if (rank == 0) File.delete(name);
        world.barrier();
        if (rank == 0) {
            try {
                File.delete(name);
                System.out.println("rank 0 delete of a missing file: no error");
            } catch (MPIException e) {
                System.out.println("rank 0 delete of a missing file: class " + e.getErrorClass()
                        + " NO_SUCH_FILE " + (e.getErrorClass() == MPI.ERR_NO_SUCH_FILE) + " IO " + (e.getErrorClass() == MPI.ERR_IO));
            }
        }
        sub.free();
        MPI.Finalize();
    }
}
