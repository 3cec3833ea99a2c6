package io.jmpi.reliability.apps;

import io.jmpi.Comm;
import io.jmpi.Mpi;
import io.jmpi.base.MpiException;
import io.jmpi.Op;

import java.lang.reflect.Field;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * Endless traffic for fault injection; the test kills a rank (or makes one drop a connection) and measures how the
 * job ends. Modes:
 * <ul>
 *   <li>{@code eager}: every rank sendrecvs 1 KiB with its ring neighbours, forever;</li>
 *   <li>{@code rendezvous}: the same with 16 MiB messages (rendezvous, many DATA chunks in flight);</li>
 *   <li>{@code collective}: allreduce of 64 Ki doubles, bcast of 1 MiB and a barrier, forever;</li>
 *   <li>{@code drop R [large]}: as eager (or rendezvous), and after about a second rank R closes its TCP connection to rank R+1 abruptly
 *       (SO_LINGER 0, so the peer sees a reset) while both processes live on, and prints {@code dropped at MILLIS};</li>
 *   <li>{@code throw R}: after one eager iteration, rank R throws an exception out of its {@code try (Mpi ...)} block
 *       (printing {@code throwing at MILLIS}) while the others compute for 30 s away from MPI.</li>
 * </ul>
 * Every rank prints {@code running RANK PID} after its first iteration. A rank whose operation fails prints
 * {@code rank R saw CLASS: MESSAGE} and rethrows (errors are fatal).
 */
public final class FaultApp {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int dropper = mode.equals("drop") ? Integer.parseInt(args[1]) : -1;
        int thrower = mode.equals("throw") ? Integer.parseInt(args[1]) : -1;
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            int n = w.size(), me = w.rank(), next = (me + 1) % n, prev = (me + n - 1) % n;
            boolean large = mode.equals("rendezvous") || (args.length > 2 && args[2].equals("large"));
            int size = large ? 16 << 20 : 1024;
            byte[] out = new byte[size], in = new byte[size];
            double[] d = new double[64 * 1024];
            byte[] b = new byte[1 << 20];
            long start = System.nanoTime();
            boolean dropped = false;
            for (long i = 0; ; i++) {
                try {
                    if (mode.equals("collective")) {
                        java.util.Arrays.fill(d, me);
                        w.allreduce(d, Op.SUM);
                        if (d[0] != n * (n - 1) / 2.0) throw new IllegalStateException("allreduce gave " + d[0]);
                        w.bcast(b, (int) (i % n));
                        w.barrier();
                    } else {
                        out[0] = (byte) i;
                        w.sendrecv(out, next, 0, in, prev, 0);
                        if (in[0] != (byte) i) throw new IllegalStateException("iteration " + i + " got " + in[0]);
                    }
                } catch (MpiException e) {
                    System.err.println("rank " + me + " saw " + e.errorClass() + ": " + e.getMessage());
                    System.err.flush();
                    throw e;
                }
                if (i == 0) {
                    System.out.println("running " + me + " " + ProcessHandle.current().pid());
                    System.out.flush();
                    if (thrower >= 0) w.barrier(); // every rank has printed its line before the thrower throws
                    // under test, not synchronisation: the others compute, away from MPI, while the thrower fails
                    if (thrower >= 0 && me != thrower) Thread.sleep(30_000);
                    if (me == thrower) {
                        System.out.println("throwing at " + System.currentTimeMillis());
                        System.out.flush();
                        throw new IllegalStateException("rank " + me + " gives up");
                    }
                }
                if (me == dropper && !dropped && System.nanoTime() - start > 1_000_000_000L) {
                    dropped = true;
                    drop(mpi, next);
                    System.out.println("dropped at " + System.currentTimeMillis());
                    System.out.flush();
                }
            }
        }
    }

    /**
     * Closes this rank's TCP connection to {@code peer} with a reset, reaching into the engine (its progress part
     * holds the transports) by reflection.
     */
    static void drop(Mpi mpi, int peer) throws Exception {
        Object engine = field(mpi, "engine");
        for (Object t : (Object[]) field(field(engine, "progress"), "transports")) {
            if (!t.getClass().getSimpleName().equals("TcpTransport")) continue;
            Object conn = ((Object[]) field(t, "connections"))[peer];
            SocketChannel ch = (SocketChannel) field(conn, "channel");
            ch.setOption(StandardSocketOptions.SO_LINGER, 0);
            ch.close();
            return;
        }
        throw new IllegalStateException("no tcp transport");
    }

    static Object field(Object o, String name) throws Exception {
        Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }
}
