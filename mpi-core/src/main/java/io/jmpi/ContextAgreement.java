package io.jmpi;

import io.jmpi.buffer.ArrayBuf;
import io.jmpi.engine.Engine;
import io.jmpi.engine.Operation;
import io.jmpi.engine.RankMap;

/**
 * How some ranks agree on a fresh context pair that none of them uses, when the agreement cannot be a collective of
 * one existing communicator: {@link Comm#createGroup} (only the group's members take part), {@link Comm#idup}
 * (runs beside the parent's other collectives) and the intercommunicator constructors (two groups).
 *
 * <p>The rule is {@link Comm#derive}'s: every rank reserves its next free pair; the ranks exchange the element-wise
 * maximum of (reserved, -reserved, next free); if all reserved the same pair it is theirs, else each reserves again
 * at the largest next free one and they repeat. All see the same maxima, so all leave the loop together.
 *
 * <p>Member-only exchanges travel on a context of their own, {@link #CONTEXT}, reserved at start-up, so that they
 * can never match a collective of the parent (whose tags fill the whole tag range of its collective context) nor
 * a user's receive. Tags separate the exchanges there: bits 15-29 are the parent's context pair, bits 0-14 the
 * user's tag (createGroup) or the parent's idup sequence (idup, with bit 30 set). Two concurrent createGroup calls
 * whose tags are equal modulo 2^15 on overlapping groups of one parent would confuse each other's messages (MPI
 * already forbids equal tags there), as would parents whose context pairs are 2^15 apart.
 */
final class ContextAgreement {
    private ContextAgreement() {
    }

    /** Element-wise maximum of {@code v} over the agreeing ranks, in place; every rank calls it equally often. */
    @FunctionalInterface
    interface MaxExchange {
        void maxInPlace(int[] v);
    }

    /** The context pair the ranks agree on. */
    static int agree(Mpi mpi, MaxExchange exchange) {
        int reserved = mpi.reserveContexts(0);
        while (true) {
            int[] v = {reserved, -reserved, mpi.peekNextContext()};
            exchange.maxInPlace(v);
            if (v[0] == -v[1]) return v[0];
            reserved = mpi.reserveContexts(v[2]);
        }
    }

    /** The point-to-point context of the agreement traffic; {@link Mpi} reserves it (and CONTEXT + 1) at start-up. */
    static final int CONTEXT = 4;

    static int createGroupTag(int parentContext, int userTag) {
        return ((parentContext >>> 1) & 0x7FFF) << 15 | (userTag & 0x7FFF);
    }

    static int idupTag(int parentContext, int sequence) {
        return 1 << 30 | ((parentContext >>> 1) & 0x7FFF) << 15 | (sequence & 0x7FFF);
    }

    /**
     * A maximum over the ranks {@code members} (world ranks; this rank is {@code members[me]}) by dissemination:
     * in round k each rank sends what it knows to the member 2^k after it and takes the maximum with what the member
     * 2^k before it sent. After ceil(log2 n) rounds every rank has seen every value (the maximum does not mind seeing
     * one twice). In one exchange the sources of the rounds differ, and every rank posts its receives in the order its
     * peers send, so one tag serves all rounds and repeated exchanges.
     */
    static MaxExchange disseminate(String call, Engine engine, int tag, int[] members, int me) {
        return v -> {
            int n = members.length;
            for (int dist = 1; dist < n; dist <<= 1) {
                int[] in = new int[v.length];
                int[] out = v.clone();
                Operation r = engine.startRecv(call, ArrayBuf.of(in, 0, in.length), members[(me - dist + n) % n], CONTEXT,
                        tag, RankMap.IDENTITY);
                Operation s = engine.startSend(call, ArrayBuf.of(out, 0, out.length), members[(me + dist) % n], CONTEXT,
                        tag, false);
                if (s != null) s.await();
                r.await();
                for (int i = 0; i < v.length; i++) v[i] = Math.max(v[i], in[i]);
            }
        };
    }
}
