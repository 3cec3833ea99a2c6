package io.jmpi.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds {@link Diagnosis} snapshots and says what an operation is, as a user reads it: communicator names (given by
 * the API layer) rather than contexts, tags through the installed {@link TagDescriber}. The engine itself knows no
 * tag layout.
 */
final class Diagnostics {
    private final ConcurrentHashMap<Integer, String> contextNames = new ConcurrentHashMap<>();
    private volatile TagDescriber tags = TagDescriber.PLAIN;

    void describeTagsWith(TagDescriber describer) {
        this.tags = describer == null ? TagDescriber.PLAIN : describer;
    }

    /** {@code context} is a communicator's point-to-point context; its collective context shares the name. */
    void nameContext(int context, String name) {
        contextNames.put(context & ~1, name);
    }

    private String commName(int context) {
        String n = contextNames.get(context & ~1);
        return n != null ? n : "context " + (context & ~1);
    }

    /** A receive as a user reads it (world ranks, communicator name, tag meaning); also {@link Receive#describe}. */
    String receiveText(Receive r) {
        TagDescriber t = tags;
        String where = r.call + " on " + commName(r.context);
        if (r.posted) {
            String src = r.source == Engine.ANY_SOURCE ? "any rank" : "rank " + r.source;
            String tag = t.describe(r.context, r.tag);
            return where + ": waits for a message from " + src + (t.internal(r.context) ? " (" + tag + ")" : " with " + tag)
                    + ", up to " + r.buf.byteLength() + " bytes";
        }
        return where + ": receiving a message from rank " + r.msgSource + " with " + t.describe(r.context, r.msgTag) + ", "
                + r.received + " of " + r.total + " bytes so far";
    }

    /** A send as a user reads it; also {@link Send#describe}. */
    String sendText(Send s) {
        String what = s.phase == Send.WAIT_CTS ? "waits for rank " + s.dest + " to post the matching receive"
                : s.phase == Send.DATA ? "streaming data to rank " + s.dest + ", " + s.sent + " of " + s.total + " bytes sent"
                : "queued for rank " + s.dest + " (waiting for link room or credit)";
        return (s.sync ? "ssend" : "send") + " on " + commName(s.context) + " with " + tags.describe(s.context, s.tag) + ", "
                + s.total + " bytes: " + what;
    }

    private String unmatchedText(Unexpected u) {
        return "unmatched message from rank " + u.source + " on " + commName(u.context) + " with "
                + tags.describe(u.context, u.tag) + ", " + u.bytes + " bytes" + (u.data == null ? " (rendezvous)" : "");
    }

    /**
     * Threads waiting outside the engine (on memory a peer writes, e.g. the shared-memory collectives' flags), by
     * thread: the wait as a user reads it, and the world rank waited for. Registered only by waits that last.
     */
    private final java.util.concurrent.ConcurrentHashMap<Thread, Diagnosis.Entry> outside = new java.util.concurrent.ConcurrentHashMap<>();

    /** The calling thread waits outside the engine in {@code call} on the communicator of {@code context} for {@code peer}. */
    void waitingOutside(String call, int context, int peer, String what) {
        Thread t = Thread.currentThread();
        outside.put(t, new Diagnosis.Entry(Diagnosis.Kind.RECEIVE, t.getName(), peer, 0, false,
                call + " on " + commName(context) + ": waits for rank " + peer + " (" + what + ")"));
    }

    void doneWaitingOutside() {
        outside.remove(Thread.currentThread());
    }

    /** The snapshot; the caller holds the progress lock. */
    Diagnosis snapshot(MatchQueues match, HandleTable<Receive> recvs, HandleTable<Send> sends, Peer[] peers, int rank,
                       String aborted, boolean threadsWaiting) {
        List<Diagnosis.Entry> out = new ArrayList<>();
        Set<Operation> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Receive> rs = new ArrayList<>(match.allPosted());
        rs.addAll(recvs.live());
        for (Receive r : rs) {
            if (!seen.add(r)) continue;
            out.add(new Diagnosis.Entry(Diagnosis.Kind.RECEIVE, waiterName(r), r.posted ? r.source : r.msgSource,
                    r.posted ? r.buf.byteLength() : r.total, !r.posted, receiveText(r)));
        }
        List<Send> ss = new ArrayList<>(sends.live());
        for (Peer ps : peers) ss.addAll(ps.data);
        for (Send s : ss) {
            if (!seen.add(s)) continue;
            out.add(new Diagnosis.Entry(Diagnosis.Kind.SEND, waiterName(s), s.dest, s.total, s.phase != Send.EAGER,
                    sendText(s)));
        }
        out.addAll(outside.values());
        for (Unexpected u : match.allUnexpected()) {
            out.add(new Diagnosis.Entry(Diagnosis.Kind.UNMATCHED, null, u.source, u.bytes, u.data == null, unmatchedText(u)));
        }
        for (int p = 0; p < peers.length; p++) {
            if (p != rank && peers[p].lost) {
                out.add(new Diagnosis.Entry(Diagnosis.Kind.LOST_PEER, null, p, 0, false,
                        "rank " + p + " is gone: " + peers[p].lostReason));
            }
        }
        if (aborted != null) out.add(new Diagnosis.Entry(Diagnosis.Kind.ABORTED, null, -1, 0, false, "aborted: " + aborted));
        return new Diagnosis(out, threadsWaiting);
    }

    private static String waiterName(Operation op) {
        Thread w = op.waiter();
        return w == null ? null : w.getName();
    }
}
