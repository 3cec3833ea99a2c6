package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.buffer.DataType;
import io.jmpi.engine.Operation;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/**
 * The collectives of an {@link Intercomm} (MPI 4.1 section 6.2.2), as point-to-point messages between the groups
 * plus collectives of each group's private local communicator. Every collective takes one tag from the
 * intercommunicator's sequence (all ranks of both groups call them in the same order), and all its messages
 * between the groups use that tag on the collective context; per pair of ranks they are posted in the same order
 * on both sides, so FIFO matching keeps them apart.
 *
 * <ul>
 *   <li>barrier: local barrier, the leaders swap an empty message, local barrier: no rank leaves before the other
 *   group's leader has heard from its whole group.</li>
 *   <li>allreduce: each group reduces to its leader, the leaders swap results, each leader broadcasts the other
 *   group's result locally.</li>
 *   <li>allgather: gather to the leader, leaders swap, local broadcast.</li>
 *   <li>alltoall, gather, scatter: direct messages between the ranks concerned.</li>
 *   <li>bcast: the root sends to the other group's leader, which broadcasts locally.</li>
 * </ul>
 * Rooted collectives first check roles: the leaders swap whether their group passed ROOT/PROC_NULL, and each
 * broadcasts the verdict locally, so both groups claiming (or disclaiming) the root fail with the same error
 * instead of hanging.
 */
final class InterCollectives {
    private InterCollectives() {
    }

    static void barrier(Intercomm ic) {
        String call = "barrier";
        ic.checkUsable(call);
        int tag = ic.nextTag();
        ic.local.barrier();
        if (ic.local.rank == 0) ic.leaderExchange(call, tag, DataType.INT, new int[0], 0, 0, new int[0], 0, 0);
        ic.local.barrier();
    }

    static void bcast(Intercomm ic, String call, DataType t, Object buf, int root) {
        ic.checkUsable(call);
        boolean rootGroup = role(ic, call, root);
        int n = root == Mpi.PROC_NULL ? 0 : length(ic, call, "buf", buf);
        int tag = ic.nextTag();
        if (rootGroup(ic, call, tag, rootGroup)) {
            if (root == Intercomm.ROOT) await(ic.collSend(call, tag, t, buf, 0, n, 0));
            return;
        }
        if (ic.local.rank == 0) await(ic.collRecv(call, tag, t, buf, 0, n, root));
        Intercomm.finish(ic.local.startBcast(call, false, t, buf, 0, n, 0));
    }

    static void allreduce(Intercomm ic, String call, DataType t, Object send, Object recv, Op op) {
        ic.checkUsable(call);
        int n = length(ic, call, "send", send);
        if (length(ic, call, "recv", recv) != n) {
            throw ic.raise(ErrorClass.ARG, call + ": recv.length=" + Array.getLength(recv) + " differs from send.length=" + n);
        }
        int tag = ic.nextTag();
        boolean leader = ic.local.rank == 0;
        Object mine = leader ? Array.newInstance(send.getClass().getComponentType(), n) : null;
        Intercomm.finish(ic.local.startReduce(call, false, t, send, 0, mine, 0, n, op, 0));
        if (leader) ic.leaderExchange(call, tag, t, mine, 0, n, recv, 0, n);
        Intercomm.finish(ic.local.startBcast(call, false, t, recv, 0, n, 0));
    }

    static void allgather(Intercomm ic, String call, DataType t, Object send, Object recv) {
        ic.checkUsable(call);
        int n = length(ic, call, "send", send);
        int rn = blocks(ic, call, "recv", recv);
        int tag = ic.nextTag();
        boolean leader = ic.local.rank == 0;
        int localSize = ic.local.size;
        Object mine = leader ? Array.newInstance(send.getClass().getComponentType(), localSize * n) : null;
        Intercomm.finish(ic.local.startGather(call, false, t, send, 0, n, mine, 0, 0));
        if (leader) ic.leaderExchange(call, tag, t, mine, 0, localSize * n, recv, 0, rn * ic.remote.length);
        Intercomm.finish(ic.local.startBcast(call, false, t, recv, 0, rn * ic.remote.length, 0));
    }

    static void alltoall(Intercomm ic, String call, DataType t, Object send, Object recv) {
        ic.checkUsable(call);
        int sn = blocks(ic, call, "send", send);
        int rn = blocks(ic, call, "recv", recv);
        int tag = ic.nextTag();
        List<Operation> ops = new ArrayList<>();
        for (int j = 0; j < ic.remote.length; j++) ops.add(ic.collRecv(call, tag, t, recv, j * rn, rn, j));
        for (int j = 0; j < ic.remote.length; j++) ops.add(ic.collSend(call, tag, t, send, j * sn, sn, j));
        for (Operation o : ops) await(o);
    }

    static void gather(Intercomm ic, String call, DataType t, Object send, Object recv, int root) {
        ic.checkUsable(call);
        boolean rootGroup = role(ic, call, root);
        int rn = root == Intercomm.ROOT ? blocks(ic, call, "recv", recv) : 0;
        int sn = rootGroup ? 0 : length(ic, call, "send", send);
        int tag = ic.nextTag();
        if (rootGroup(ic, call, tag, rootGroup)) {
            if (root != Intercomm.ROOT) return;
            List<Operation> ops = new ArrayList<>();
            for (int j = 0; j < ic.remote.length; j++) ops.add(ic.collRecv(call, tag, t, recv, j * rn, rn, j));
            for (Operation o : ops) await(o);
            return;
        }
        await(ic.collSend(call, tag, t, send, 0, sn, root));
    }

    static void scatter(Intercomm ic, String call, DataType t, Object send, Object recv, int root) {
        ic.checkUsable(call);
        boolean rootGroup = role(ic, call, root);
        int sn = root == Intercomm.ROOT ? blocks(ic, call, "send", send) : 0;
        int rn = rootGroup ? 0 : length(ic, call, "recv", recv);
        int tag = ic.nextTag();
        if (rootGroup(ic, call, tag, rootGroup)) {
            if (root != Intercomm.ROOT) return;
            List<Operation> ops = new ArrayList<>();
            for (int j = 0; j < ic.remote.length; j++) ops.add(ic.collSend(call, tag, t, send, j * sn, sn, j));
            for (Operation o : ops) await(o);
            return;
        }
        await(ic.collRecv(call, tag, t, recv, 0, rn, root));
    }

    // ------------------------------------------------------------------ helpers

    /** Whether this rank's root argument puts it in the root's group; checks its range. */
    private static boolean role(Intercomm ic, String call, int root) {
        if (root == Intercomm.ROOT || root == Mpi.PROC_NULL) return true;
        if (root >= 0 && root < ic.remote.length) return false;
        throw ic.raise(ErrorClass.ARG, call + ": root=" + root + " out of range [0, " + ic.remote.length
                + ") of the remote group (or Intercomm.ROOT, PROC_NULL in the root's group)");
    }

    /** Checks with the other group that exactly one group is the root's; returns {@code mine}. */
    private static boolean rootGroup(Intercomm ic, String call, int tag, boolean mine) {
        int[] verdict = {0};
        if (ic.local.rank == 0) {
            int[] theirs = new int[1];
            ic.leaderExchange(call, tag, DataType.INT, new int[]{mine ? 1 : 0}, 0, 1, theirs, 0, 1);
            if ((theirs[0] == 1) == mine) verdict[0] = mine ? 1 : 2;
        }
        Intercomm.finish(ic.local.startBcast(call, false, DataType.INT, verdict, 0, 1, 0));
        if (verdict[0] == 1) {
            throw ic.raise(ErrorClass.COLLECTIVE, call + ": both groups of " + ic.name + " passed Intercomm.ROOT or PROC_NULL"
                    + " as root; only the root's group does, the other group passes the root's rank");
        }
        if (verdict[0] == 2) {
            throw ic.raise(ErrorClass.COLLECTIVE, call + ": neither group of " + ic.name + " passed Intercomm.ROOT or"
                    + " PROC_NULL as root; the root passes ROOT, the rest of its group PROC_NULL");
        }
        return mine;
    }

    private static int length(Intercomm ic, String call, String arg, Object a) {
        if (a == null) throw ic.raise(ErrorClass.BUFFER, call + ": " + arg + " is null");
        return Array.getLength(a);
    }

    /** Elements per block of {@code a} cut into one block per remote rank. */
    private static int blocks(Intercomm ic, String call, String arg, Object a) {
        int n = length(ic, call, arg, a);
        if (n % ic.remote.length != 0) {
            throw ic.raise(ErrorClass.ARG, call + ": " + arg + ".length=" + n + " is not a multiple of the remote group size "
                    + ic.remote.length);
        }
        return n / ic.remote.length;
    }

    private static void await(Operation o) {
        if (o != null) o.await();
    }
}
