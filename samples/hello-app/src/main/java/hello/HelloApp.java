package hello;

import io.jmpi.Comm;
import io.jmpi.Mpi;
import io.jmpi.Op;

/**
 * A program that depends on jmpi as a library (pom.xml, build.gradle) and runs under jmpirun: every rank says hello
 * to rank 0, and the ranks add their numbers together.
 */
public final class HelloApp {
    private HelloApp() {
    }

    public static void main(String[] args) {
        try (Mpi mpi = Mpi.init(args)) {
            Comm world = mpi.world();
            int rank = world.rank(), size = world.size();
            if (rank == 0) {
                for (int r = 1; r < size; r++) {
                    String greeting = world.recvObject(r, 0);
                    System.out.println("hello-app: " + greeting);
                }
            } else {
                world.sendObject("hello from rank " + rank + " of " + size + " on " + mpi.processorName(), 0, 0);
            }
            int[] sum = {rank};
            world.allreduce(sum, Op.SUM);
            if (rank == 0) System.out.println("hello-app: " + size + " ranks, sum of ranks " + sum[0]);
        }
    }
}
