package io.jmpi;

import io.jmpi.buffer.Buf;
import io.jmpi.io.FileData;
import io.jmpi.io.FileDomains;
import io.jmpi.io.Segments;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.Arrays;

/**
 * Two-phase collective I/O (after ROMIO's): the region all ranks touch is cut into one contiguous file domain per
 * aggregator ({@link FileDomains}); every rank tells each aggregator which bytes of its domain it accesses (one
 * alltoallv of (offset, length) pairs), then in rounds of {@code cb_buffer_size} bytes per aggregator the data moves
 * between ranks and aggregators (one alltoallv of bytes per round) and each aggregator does one large contiguous
 * read or write of its window (a write window with holes is written interval by interval: no read-modify-write).
 * All messages go over the file's private communicator, so they never meet the user's.
 */
final class TwoPhaseIo {
    private final Comm comm;
    private final FileChannel ch;
    private final FileDomains domains;
    private final Segments mine;
    private final Buf buf;
    private final ByteBuffer window;
    private final boolean atomic;
    private final String call;
    /** Aggregator: what each rank accesses in my domain. */
    private Segments[] theirs;
    private int myDomain = -1;
    private byte[] sendBytes = new byte[0];
    private byte[] recvBytes = new byte[0];
    /** The first I/O failure of this rank: later rounds still exchange (so nobody waits for it) but do no I/O. */
    private io.jmpi.base.MpiException failure;

    TwoPhaseIo(Comm comm, FileChannel ch, FileDomains domains, Segments mine, Buf buf, ByteBuffer window, boolean atomic, String call) {
        this.comm = comm;
        this.ch = ch;
        this.domains = domains;
        this.mine = mine;
        this.buf = buf;
        this.window = window;
        this.atomic = atomic;
        this.call = call;
        for (int d = 0; d < domains.count(); d++) if (domains.aggregator(d) == comm.rank()) myDomain = d;
    }

    /**
     * Runs the whole collective access. Writes are pipelined: round r's exchange is started (non-blocking) before
     * the aggregator writes round r - 1's window, so the data of the next round travels (the peers' sends, this rank's
     * background progress) while this one is written; two sets of exchange buffers alternate.
     */
    void run(boolean write) {
        exchangeAccesses();
        int rounds = domains.rounds();
        if (write) {
            Round previous = null;
            for (int r = 0; r < rounds; r++) {
                Round current = startWriteRound(r, rounds > 1 ? r & 1 : 0);
                if (previous != null) finishWriteRound(previous);
                current.exchange.await();
                previous = current;
            }
            if (previous != null) finishWriteRound(previous);
        } else {
            for (int r = 0; r < rounds; r++) readRound(r);
        }
        if (failure != null) throw failure;
    }

    /** Phase 0: each aggregator learns every rank's (offset, length) pairs inside its domain. */
    private void exchangeAccesses() {
        int n = comm.size();
        long[][] parts = new long[n][];
        int[] sendCounts = new int[n], sdispls = new int[n], recvCounts = new int[n], rdispls = new int[n];
        for (int d = 0; d < domains.count(); d++) {
            long[] p = mine.pairsIn(domains.domainLo(d), domains.domainHi(d));
            parts[domains.aggregator(d)] = p;
            sendCounts[domains.aggregator(d)] = p.length;
        }
        long[] send = new long[displs(sendCounts, sdispls)];
        for (int r = 0; r < n; r++) if (parts[r] != null) System.arraycopy(parts[r], 0, send, sdispls[r], parts[r].length);
        comm.alltoall(sendCounts, recvCounts);
        long[] recv = new long[displs(recvCounts, rdispls)];
        comm.alltoallv(send, sendCounts, sdispls, recv, recvCounts, rdispls);
        if (myDomain >= 0) {
            theirs = new Segments[n];
            for (int s = 0; s < n; s++) theirs[s] = Segments.ofPairs(recv, rdispls[s], recvCounts[s] / 2);
        }
    }

    /** One write round in flight: its exchange, and what the aggregator needs to write its window afterwards. */
    private static final class Round {
        Request exchange;
        long wlo, whi;
        int received;
        int[] rdispls;
        byte[] recv;
    }

    private final byte[][] sendSets = new byte[2][0];
    private final byte[][] recvSets = new byte[2][0];

    /** Packs round {@code r}'s pieces into buffer set {@code set} and starts their exchange. */
    private Round startWriteRound(int r, int set) {
        int n = comm.size();
        int[] sendCounts = new int[n], sdispls = new int[n], recvCounts = new int[n];
        Round round = new Round();
        round.rdispls = new int[n];
        for (int d = 0; d < domains.count(); d++) {
            sendCounts[domains.aggregator(d)] = (int) mine.bytesIn(domains.windowLo(d, r), domains.windowHi(d, r));
        }
        int total = displs(sendCounts, sdispls);
        if (sendSets[set].length < total) sendSets[set] = new byte[total];
        byte[] send = sendSets[set];
        ByteBuffer out = ByteBuffer.wrap(send);
        for (int d = 0; d < domains.count(); d++) {
            out.position(sdispls[domains.aggregator(d)]);
            mine.forEachIn(domains.windowLo(d, r), domains.windowHi(d, r), (off, len, pos) -> FileData.copyOut(buf, pos, out, (int) len));
        }
        if (myDomain >= 0) {
            round.wlo = domains.windowLo(myDomain, r);
            round.whi = domains.windowHi(myDomain, r);
            for (int s = 0; s < n; s++) recvCounts[s] = (int) theirs[s].bytesIn(round.wlo, round.whi);
        }
        round.received = displs(recvCounts, round.rdispls);
        if (recvSets[set].length < round.received) recvSets[set] = new byte[round.received];
        round.recv = recvSets[set];
        round.exchange = comm.ialltoallv(send, sendCounts, sdispls, round.recv, recvCounts, round.rdispls);
        return round;
    }

    /** The aggregator writes a round whose exchange has completed (a failure is kept for the end). */
    private void finishWriteRound(Round round) {
        if (myDomain < 0 || round.received == 0 || failure != null) return;
        try {
            writeWindow(round.wlo, round.whi, round.recv, round.rdispls);
        } catch (io.jmpi.base.MpiException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new io.jmpi.base.MpiException(io.jmpi.base.ErrorClass.IO, call + ": writing at an aggregator failed: " + e, e);
        }
    }

    /**
     * The aggregator's write of its round window: the ranks' pieces into the window buffer, then one write per
     * covered interval: one large write when the ranks cover the window (a distributed array), never a
     * read-modify-write of a hole (which could undo another rank's independent write, and needs a readable file).
     */
    private void writeWindow(long wlo, long whi, byte[] recvBytes, int[] rdispls) {
        int n = comm.size();
        Coverage cov = coverage(wlo, whi);
        FileLock lock = atomic ? io.jmpi.io.RangeLock.lock(ch, cov.lo, cov.hi - cov.lo, false, call) : null;
        try {
            window.clear();
            for (int s = 0; s < n; s++) {
                final int base = rdispls[s];
                final long lo = cov.lo;
                long[] at = {0};
                theirs[s].forEachIn(wlo, whi, (off, len, pos) -> {
                    window.put((int) (off - lo), recvBytes, base + (int) at[0], (int) len);
                    at[0] += len;
                });
            }
            for (int i = 0; i < cov.count; i++) {
                window.limit((int) (cov.ends[i] - cov.lo)).position((int) (cov.starts[i] - cov.lo));
                FileData.writeFully(ch, window, cov.starts[i], call);
            }
        } finally {
            if (lock != null) io.jmpi.io.RangeLock.release(lock, call);
        }
    }

    private void readRound(int r) {
        int n = comm.size();
        int[] sendCounts = new int[n], sdispls = new int[n], recvCounts = new int[n], rdispls = new int[n];
        long wlo = 0, whi = 0;
        Coverage cov = null;
        if (myDomain >= 0) {
            wlo = domains.windowLo(myDomain, r);
            whi = domains.windowHi(myDomain, r);
            for (int s = 0; s < n; s++) sendCounts[s] = (int) theirs[s].bytesIn(wlo, whi);
            cov = coverage(wlo, whi);
        }
        int total = displs(sendCounts, sdispls);
        if (sendBytes.length < total) sendBytes = new byte[total];
        if (total > 0) {
            window.clear().limit((int) (cov.hi - cov.lo));
            int got = 0;
            if (failure == null) {
                try {
                    FileLock lock = atomic ? io.jmpi.io.RangeLock.lock(ch, cov.lo, cov.hi - cov.lo, true, call) : null;
                    try {
                        got = FileData.readFully(ch, window, cov.lo, call);
                    } finally {
                        if (lock != null) io.jmpi.io.RangeLock.release(lock, call);
                    }
                } catch (io.jmpi.base.MpiException e) {
                    failure = e;
                } catch (RuntimeException e) {
                    failure = new io.jmpi.base.MpiException(io.jmpi.base.ErrorClass.IO, call + ": reading at an aggregator failed: " + e, e);
                }
            }
            for (int i = got; i < window.limit(); i++) window.put(i, (byte) 0);
            ByteBuffer out = ByteBuffer.wrap(sendBytes);
            final long lo = cov.lo;
            for (int s = 0; s < n; s++) {
                out.position(sdispls[s]);
                theirs[s].forEachIn(wlo, whi, (off, len, pos) -> {
                    out.put(out.position(), window, (int) (off - lo), (int) len);
                    out.position(out.position() + (int) len);
                });
            }
        }
        for (int d = 0; d < domains.count(); d++) {
            recvCounts[domains.aggregator(d)] = (int) mine.bytesIn(domains.windowLo(d, r), domains.windowHi(d, r));
        }
        int in = displs(recvCounts, rdispls);
        if (recvBytes.length < in) recvBytes = new byte[in];
        comm.alltoallv(sendBytes, sendCounts, sdispls, recvBytes, recvCounts, rdispls);
        ByteBuffer src = ByteBuffer.wrap(recvBytes);
        for (int d = 0; d < domains.count(); d++) {
            src.position(rdispls[domains.aggregator(d)]);
            mine.forEachIn(domains.windowLo(d, r), domains.windowHi(d, r), (off, len, pos) -> FileData.copyIn(buf, pos, src, (int) len));
        }
    }

    /** The ranks' pieces in {@code [wlo, whi)}: their span and the merged intervals they cover. */
    private Coverage coverage(long wlo, long whi) {
        int count = 0;
        for (Segments s : theirs) {
            int i = s.firstEndingAfter(wlo);
            while (i < s.count() && s.offset(i) < whi) { count++; i++; }
        }
        long[] lo = new long[count], hi = new long[count];
        int k = 0;
        for (Segments s : theirs) {
            for (int i = s.firstEndingAfter(wlo); i < s.count() && s.offset(i) < whi; i++, k++) {
                lo[k] = Math.max(wlo, s.offset(i));
                hi[k] = Math.min(whi, s.offset(i) + s.length(i));
            }
        }
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Long.compare(lo[a], lo[b]));
        Coverage c = new Coverage();
        c.starts = new long[count];
        c.ends = new long[count];
        for (Integer i : order) {
            if (c.count > 0 && lo[i] <= c.ends[c.count - 1]) {
                c.ends[c.count - 1] = Math.max(c.ends[c.count - 1], hi[i]);
            } else {
                c.starts[c.count] = lo[i];
                c.ends[c.count] = hi[i];
                c.count++;
            }
        }
        c.lo = c.count == 0 ? wlo : c.starts[0];
        c.hi = c.count == 0 ? wlo : c.ends[c.count - 1];
        return c;
    }

    private static final class Coverage {
        long lo, hi;
        long[] starts, ends;
        int count;
    }

    /** Fills displacements from counts; returns the total. */
    private static int displs(int[] counts, int[] displs) {
        long t = 0;
        for (int i = 0; i < counts.length; i++) {
            displs[i] = (int) t;
            t += counts[i];
        }
        return (int) t;
    }
}
