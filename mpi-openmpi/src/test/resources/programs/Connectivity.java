// A program in the style of Open MPI's examples/Connectivity.java, written for jmpi's tests: every pair of ranks
// exchanges its ranks through direct IntBuffers and sendRecv, and checks what it got.
import mpi.*;
import java.nio.IntBuffer;

class Connectivity {
    public static void main(String[] args) throws MPIException {
        MPI.Init(args);
        int me = MPI.COMM_WORLD.getRank();
        int n = MPI.COMM_WORLD.getSize();
        String host = MPI.getProcessorName();
        IntBuffer mine = MPI.newIntBuffer(1), peer = MPI.newIntBuffer(1);
        mine.put(0, me);
        for (int i = 0; i < n; i++) {
            if (me == i) {
                for (int j = i + 1; j < n; j++) {
                    MPI.COMM_WORLD.sendRecv(mine, 1, MPI.INT, j, me, peer, 1, MPI.INT, j, j);
                    if (peer.get(0) != j) throw new IllegalStateException("rank " + me + " on " + host + " got " + peer.get(0) + " from " + j);
                }
            } else if (me > i) {
                MPI.COMM_WORLD.sendRecv(mine, 1, MPI.INT, i, me, peer, 1, MPI.INT, i, i);
                if (peer.get(0) != i) throw new IllegalStateException("rank " + me + " got " + peer.get(0) + " from " + i);
            }
        }
        MPI.COMM_WORLD.barrier();
        if (me == 0) System.out.printf("Connectivity test on %d processes PASSED.%n", n);
        MPI.Finalize();
    }
}
