// Communicator split, groups and duplication through Open MPI's Java API, written for jmpi's side-by-side check
// (SideBySideIT): even and odd ranks form two communicators (rank order reversed), reduce within them, and compare
// groups. Each rank prints its own line; rank 0 prints the group checks.
import mpi.*;
import java.util.Arrays;

class CommSplit {
    public static void main(String[] args) throws MPIException {
        MPI.Init(args);
        Intracomm world = MPI.COMM_WORLD;
        int rank = world.getRank(), size = world.getSize();

        Intracomm half = world.split(rank % 2, size - rank);
        int[] sum = {rank};
        half.allReduce(sum, 1, MPI.INT, MPI.SUM);
        System.out.println("rank " + rank + " color " + (rank % 2) + " subrank " + half.getRank() + " of "
                + half.getSize() + " sum " + sum[0]);

        Intracomm copy = world.dup();
        int cmpDup = Comm.compare(world, copy), cmpSelf = Comm.compare(world, world);
        Group all = world.getGroup();
        Group evens = all.incl(evenRanks(size));
        int[] inHalf = Group.translateRanks(half.getGroup(), new int[]{0}, all);
        int[] back = Group.translateRanks(all, evenRanks(size), evens);
        Intracomm none = world.split(rank == 0 ? 0 : MPI.UNDEFINED, rank);
        boolean gotNull = rank != 0 ? none.isNull() : !none.isNull() && none.getSize() == 1;
        int[] ok = {gotNull ? 1 : 0};
        world.allReduce(ok, 1, MPI.INT, MPI.LAND);
        if (rank == 0) {
            System.out.println("compare dup " + name(cmpDup) + " self " + name(cmpSelf)
                    + " group " + name(Group.compare(all, copy.getGroup())));
            System.out.println("evens size " + evens.getSize() + " rank " + evens.getRank()
                    + " translated " + Arrays.toString(back));
            System.out.println("subrank 0 of my half is world rank " + inHalf[0]);
            System.out.println("UNDEFINED split " + (ok[0] == 1 ? "ok" : "wrong"));
        }
        evens.free();
        all.free();
        copy.free();
        half.free();
        if (!none.isNull()) none.free();
        MPI.Finalize();
    }

    static int[] evenRanks(int size) {
        int[] r = new int[(size + 1) / 2];
        for (int i = 0; i < r.length; i++) r[i] = 2 * i;
        return r;
    }

    static String name(int cmp) {
        if (cmp == MPI.IDENT) return "IDENT";
        if (cmp == MPI.CONGRUENT) return "CONGRUENT";
        if (cmp == MPI.SIMILAR) return "SIMILAR";
        return "UNEQUAL";
    }
}
