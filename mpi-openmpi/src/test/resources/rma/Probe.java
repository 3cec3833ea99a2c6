import mpi.*;
import java.nio.IntBuffer;
public class Probe {
    public static void main(String[] a) throws MPIException {
        MPI.Init(a);
        Intracomm w = MPI.COMM_WORLD;
        int me = w.getRank();
        IntBuffer mem = MPI.newIntBuffer(4);
        Win win = new Win(mem, 16, 4, new Info(), w);
        IntBuffer x = MPI.newIntBuffer(1);
        x.put(0, 5);
        win.fence(0);
        if (me == 1) win.accumulate(x, 1, MPI.INT, 0, 2, 1, MPI.INT, MPI.SUM);
        win.fence(0);
        if (me == 1) win.put(x, 1, MPI.INT, 0, 3, 1, MPI.INT);
        win.fence(0);
        if (me == 0) System.out.println(mem.get(0) + " " + mem.get(1) + " " + mem.get(2) + " " + mem.get(3));
        win.free();
        MPI.Finalize();
    }
}
