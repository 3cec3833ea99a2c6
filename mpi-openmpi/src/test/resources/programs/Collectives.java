// Blocking collectives through Open MPI's Java API, written for jmpi's side-by-side check (SideBySideIT): rank 0 prints
// what each collective produced, so the output is the same line for line on any MPI that gets them right.
import mpi.*;
import java.nio.ByteBuffer;
import java.util.Arrays;

class Collectives {
    public static void main(String[] args) throws MPIException {
        MPI.Init(args);
        Intracomm world = MPI.COMM_WORLD;
        int rank = world.getRank(), size = world.getSize();

        int[] b = new int[3];
        if (rank == 0) b = new int[]{7, 8, 9};
        world.bcast(b, 3, MPI.INT, 0);

        long[] sum = new long[2];
        world.reduce(new long[]{rank, 10L * rank}, sum, 2, MPI.LONG, MPI.SUM, 0);

        double[] max = {rank * 1.5};
        world.allReduce(max, 1, MPI.DOUBLE, MPI.MAX);

        int[] gathered = new int[2 * size];
        world.gather(new int[]{rank, rank * rank}, 2, MPI.INT, gathered, 2, MPI.INT, 0);

        int[] toScatter = new int[size];
        for (int i = 0; i < size; i++) toScatter[i] = 100 + i;
        int[] mine = new int[1];
        world.scatter(toScatter, 1, MPI.INT, mine, 1, MPI.INT, 0);
        int[] check = new int[size];
        world.allGather(mine, 1, MPI.INT, check, 1, MPI.INT);

        int[] out = new int[size], in = new int[size];
        for (int i = 0; i < size; i++) out[i] = rank * 10 + i;
        world.allToAll(out, 1, MPI.INT, in, 1, MPI.INT);

        int[] prefix = {rank + 1};
        world.scan(prefix, 1, MPI.INT, MPI.SUM);
        int[] prefixes = new int[size];
        world.gather(prefix, 1, MPI.INT, prefixes, 1, MPI.INT, 0);

        // MINLOC and MAXLOC over (double, int) pairs in a direct ByteBuffer, as Open MPI's javadoc shows
        ByteBuffer pair = MPI.newByteBuffer(MPI.doubleInt.getExtent());
        DoubleInt.Data d = MPI.doubleInt.getData(pair);
        d.putValue(Math.abs(rank - size / 2.0));
        d.putIndex(rank);
        ByteBuffer minPair = MPI.newByteBuffer(MPI.doubleInt.getExtent());
        world.allReduce(pair, minPair, 1, MPI.DOUBLE_INT, MPI.MINLOC);
        DoubleInt.Data min = MPI.doubleInt.getData(minPair);
        ByteBuffer maxPair = MPI.newByteBuffer(MPI.doubleInt.getExtent());
        world.reduce(pair, maxPair, 1, MPI.DOUBLE_INT, MPI.MAXLOC, 0);

        world.barrier();
        if (rank == 0) {
            System.out.println("Collectives: size " + size);
            System.out.println("bcast " + Arrays.toString(b));
            System.out.println("reduce SUM " + Arrays.toString(sum));
            System.out.println("allReduce MAX " + max[0]);
            System.out.println("gather " + Arrays.toString(gathered));
            System.out.println("scatter+allGather " + Arrays.toString(check));
            System.out.println("allToAll at 0 " + Arrays.toString(in));
            System.out.println("scan " + Arrays.toString(prefixes));
            System.out.println("MINLOC " + min.getValue() + " at " + min.getIndex());
            DoubleInt.Data mx = MPI.doubleInt.getData(maxPair);
            System.out.println("MAXLOC " + mx.getValue() + " at " + mx.getIndex());
        }
        MPI.Finalize();
    }
}
