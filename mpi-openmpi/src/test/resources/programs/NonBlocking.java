// Non-blocking communication through Open MPI's Java API with direct buffers, written for jmpi's side-by-side check
// (SideBySideIT): a halo exchange with iSend/iRecv and Request.waitAll, a waitAny loop collecting one message from every
// other rank, iAllReduce and iBcast. Each rank prints its own lines (compared order-insensitively).
import mpi.*;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;

class NonBlocking {
    public static void main(String[] args) throws MPIException {
        MPI.Init(args);
        Intracomm world = MPI.COMM_WORLD;
        int rank = world.getRank(), size = world.getSize();
        int left = (rank + size - 1) % size, right = (rank + 1) % size;

        DoubleBuffer toLeft = MPI.newDoubleBuffer(2), toRight = MPI.newDoubleBuffer(2);
        DoubleBuffer fromLeft = MPI.newDoubleBuffer(2), fromRight = MPI.newDoubleBuffer(2);
        toLeft.put(0, rank).put(1, -rank);
        toRight.put(0, rank + 0.25).put(1, rank + 0.75);
        Request[] halo = {
                world.iRecv(fromLeft, 2, MPI.DOUBLE, left, 1),
                world.iRecv(fromRight, 2, MPI.DOUBLE, right, 2),
                world.iSend(toLeft, 2, MPI.DOUBLE, left, 2),
                world.iSend(toRight, 2, MPI.DOUBLE, right, 1)};
        Request.waitAll(halo);
        System.out.println("rank " + rank + " halo left " + fromLeft.get(0) + "," + fromLeft.get(1)
                + " right " + fromRight.get(0) + "," + fromRight.get(1));

        // one message from every other rank, taken as they come (waitAny), summed
        int others = size - 1;
        IntBuffer[] in = new IntBuffer[others];
        Request[] recvs = new Request[others];
        for (int i = 0; i < others; i++) {
            in[i] = MPI.newIntBuffer(1);
            recvs[i] = world.iRecv(in[i], 1, MPI.INT, MPI.ANY_SOURCE, 7);
        }
        IntBuffer mine = MPI.newIntBuffer(1);
        mine.put(0, 1 << rank);
        Request[] sends = new Request[others];
        for (int i = 0, k = 0; i < size; i++) if (i != rank) sends[k++] = world.iSend(mine, 1, MPI.INT, i, 7);
        int sum = 0;
        for (int done = 0; done < others; done++) {
            int idx = Request.waitAny(recvs);
            sum += in[idx].get(0);
        }
        Request.waitAll(sends);
        System.out.println("rank " + rank + " received mask " + Integer.toBinaryString(sum) + " from " + others);

        DoubleBuffer v = MPI.newDoubleBuffer(2), total = MPI.newDoubleBuffer(2);
        v.put(0, rank).put(1, 1.0);
        Request r = world.iAllReduce(v, total, 2, MPI.DOUBLE, MPI.SUM);
        r.waitFor();
        IntBuffer word = MPI.newIntBuffer(2);
        if (rank == size - 1) word.put(0, 42).put(1, 4242);
        Request b = world.iBcast(word, 2, MPI.INT, size - 1);
        while (!b.test()) {
            Thread.onSpinWait();
        }
        System.out.println("rank " + rank + " iAllReduce " + total.get(0) + "," + total.get(1)
                + " iBcast " + word.get(0) + "," + word.get(1));
        MPI.Finalize();
    }
}
