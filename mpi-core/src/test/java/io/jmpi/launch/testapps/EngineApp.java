package io.jmpi.launch.testapps;

import io.jmpi.Comm;
import io.jmpi.Mpi;

/**
 * A rank program on the real engine, for launcher integration tests. Modes: {@code ring} (a token around the ring,
 * prints {@code ring ok}), {@code die-before-init R} (rank R halts before Mpi.init while the others are in it).
 */
public final class EngineApp {
    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "ring";
        int rank = Integer.parseInt(System.getenv().getOrDefault("JMPI_RANK", "0"));
        if (mode.equals("die-before-init") && rank == Integer.parseInt(args[1])) {
            try {
                Thread.sleep(500); // let the others create their segments and wait in the exchange
            } catch (InterruptedException ignored) {
                // fall through
            }
            Runtime.getRuntime().halt(9);
        }
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            long[] token = {0};
            int next = (w.rank() + 1) % w.size(), prev = (w.rank() + w.size() - 1) % w.size();
            if (w.rank() == 0) {
                token[0] = 1;
                w.send(token, next, 0);
                w.recv(token, prev, 0);
                System.out.println(token[0] == w.size() ? "ring ok" : "ring wrong " + token[0]);
            } else {
                w.recv(token, prev, 0);
                token[0]++;
                w.send(token, next, 0);
            }
        }
    }
}
