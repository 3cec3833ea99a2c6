package io.jmpi.reliability.apps;

import io.jmpi.Comm;
import io.jmpi.Mpi;
import io.jmpi.testing.Await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * For resource counting: initialises, exchanges one message with every other rank (so every connection is in use),
 * prints {@code ready RANK PID}, then waits until the file {@code --stop-file} exists, and closes.
 */
public final class IdleApp {
    public static void main(String[] args) throws Exception {
        var o = SoakApp.options(args);
        Path stop = Path.of(o.get("stop-file"));
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            int n = w.size(), me = w.rank();
            for (int shift = 1; shift < n; shift++) {
                int[] out = {me}, in = new int[1];
                w.sendrecv(out, (me + shift) % n, shift, in, (me - shift + n) % n, shift);
                if (in[0] != (me - shift + n) % n) throw new IllegalStateException("got " + in[0]);
            }
            System.out.println("ready " + me + " " + ProcessHandle.current().pid());
            System.out.flush();
            Await.until(() -> Files.exists(stop), Duration.ofMinutes(5), "the test creates " + stop);
            w.barrier();
        }
    }
}
