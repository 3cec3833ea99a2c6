import mpi.*;
import java.nio.IntBuffer;

/** One-sided communication with direct buffers: fence epochs (put, accumulate, get), a lock epoch, fetch-and-op. */
public class OneSided {
    public static void main(String[] args) throws MPIException {
        MPI.Init(args);
        Intracomm w = MPI.COMM_WORLD;
        int me = w.getRank(), n = w.getSize(), right = (me + 1) % n;
        IntBuffer mem = MPI.newIntBuffer(4);
        Win win = new Win(mem, 16, 4, new Info(), w);
        IntBuffer x = MPI.newIntBuffer(1);
        x.put(0, 10 * me + 1);
        win.fence(0);
        win.put(x, 1, MPI.INT, right, 0, 1, MPI.INT);
        win.accumulate(x, 1, MPI.INT, 0, 1, 1, MPI.INT, MPI.SUM);
        win.fence(0);
        IntBuffer got = MPI.newIntBuffer(2);
        win.get(got, 2, MPI.INT, right, 0, 2, MPI.INT);
        win.fence(0);
        IntBuffer one = MPI.newIntBuffer(1), old = MPI.newIntBuffer(1);
        one.put(0, 1);
        win.lock(MPI.LOCK_EXCLUSIVE, 0, 0);
        win.fetchAndOp(one, old, MPI.INT, 0, 2, MPI.SUM);
        win.unlock(0);
        w.barrier();
        int[] counter = new int[1];
        if (me == 0) counter[0] = mem.get(2);
        w.bcast(counter, 1, MPI.INT, 0);
        System.out.println("rank " + me + ": slot0=" + mem.get(0) + " slot1=" + mem.get(1) + " right=" + got.get(0) + "," + got.get(1)
                + " ticketOk=" + (old.get(0) >= 0 && old.get(0) < n) + " counter=" + counter[0] + " old=" + old.get(0));
        win.free();
        MPI.Finalize();
    }
}
