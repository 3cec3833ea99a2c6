package io.jmpi.examples;

import io.jmpi.Comm;
import io.jmpi.Mpi;

/** Every rank says hello; rank 0 collects one greeting from each rank to check that all are alive. */
public final class Hello {
    public static void main(String[] args) {
        new Args("hello", args).done();
        boolean verified;
        try (Mpi mpi = Mpi.init(args)) {
            Comm world = mpi.world();
            double t0 = mpi.wtime();
            String hello = "hello from rank " + world.rank() + " of " + world.size() + " on " + mpi.processorName();
            System.out.println(hello);
            verified = true;
            if (world.rank() == 0) {
                // the parallel idea: rank 0 receives from everyone, in whatever order they arrive
                boolean[] seen = new boolean[world.size()];
                seen[0] = true;
                for (int i = 1; i < world.size(); i++) {
                    String s = world.recvObject(Mpi.ANY_SOURCE, 0);
                    int from = Integer.parseInt(s.split(" ")[3]);
                    verified &= !seen[from];
                    seen[from] = true;
                }
                for (boolean b : seen) verified &= b;
            } else {
                world.sendObject(hello, 0, 0);
            }
            Summary.report(world, "hello", "-", mpi.wtime() - t0, verified);
        }
        System.exit(Summary.exitCode(verified));
    }
}
