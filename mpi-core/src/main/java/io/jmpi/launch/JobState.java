package io.jmpi.launch;

import java.util.Arrays;

/**
 * What the launcher knows about each rank, and the rule that decides when the job is over and how. Pure logic
 * (no processes, sockets or clocks of its own: callers pass the time), so every rule has a plain unit test.
 *
 * <p>The rules, checked in this order:
 * <ol>
 *   <li>a rank that sent {@code ABORT} ends the job at once with its code;</li>
 *   <li>a rank whose process exited non-zero failed, and the job exits with that code. The decision waits up to
 *       {@link #EXIT_SETTLE_MILLIS} for the rank's control connection to close, because the kernel closes it at
 *       exit and any {@code FAIL} or {@code ABORT} line it sent just before dying is read by then;</li>
 *   <li>a rank that exited 0 after connecting but without {@code BYE}, while other ranks still run, failed;</li>
 *   <li>a rank that exited 0 without publishing its endpoint, once any other rank published one, failed: the
 *       rendezvous would wait for it forever;</li>
 *   <li>a rank that reported {@code FAIL} but still runs after {@link #FAIL_GRACE_MILLIS} failed;</li>
 *   <li>a rank whose control connection closed without {@code BYE} and whose process still runs after
 *       {@link #CLOSE_GRACE_MILLIS} failed (the grace lets the process exit first, for a better message);</li>
 *   <li>when every process has exited and none of the above applied, the job succeeded.</li>
 * </ol>
 * When several ranks failed, the one named is the first to fail (by the time it hung up its control connection, else
 * reported, else exited): the others usually died of losing it. A decision waits while a rank that failed earlier is
 * still within its grace.
 *
 * <p>A job whose ranks were all started by one external process (srun inside an allocation, or the command of
 * {@code --wrap}) has no process per rank: a rank is done once it said {@code BYE} and its control connection closed,
 * and the end of the external process ({@link JobEvent.LauncherExited}) decides for the ranks that are not: after
 * {@link #EXIT_SETTLE_MILLIS}, a non-zero exit blames the rank whose control connection closed first without
 * {@code BYE} (else the first that never connected), and any exit fails a rank that never said {@code BYE}.
 */
final class JobState {
    static final long EXIT_SETTLE_MILLIS = 500;
    static final long FAIL_GRACE_MILLIS = 2000;
    static final long CLOSE_GRACE_MILLIS = 1000;

    /** How the job ended: exit code, the rank it is about (-1 for none), and the message (null on success). */
    record Outcome(int exitCode, int rank, String message) {
        boolean ok() {
            return message == null;
        }
    }

    private final int size;
    private final String singleName;
    private final long[] pid;
    private final boolean[] connected;
    private final boolean[] endpoint;
    private final boolean[] bye;
    private final boolean[] closed;
    private final boolean[] exited;
    private final int[] code;
    private final long[] exitedAt;
    private final long[] closedAt;
    private final long[] failAt;
    private final String[] failReason;
    /** The peer a rank's FAIL says it lost ({@code FAIL lost rank P: ...}), else -1. */
    private final int[] lostPeer;
    private final String[] host;
    private final boolean[] remote;
    private int abortRank = -1;
    private int abortCode;
    private String abortReason;
    private String external;
    private boolean externalExited;
    private int externalCode;
    private long externalExitedAt;

    /**
     * @param size       number of ranks
     * @param singleName how messages name the only process of a job that is one process (the local transport's
     *                   JVM), or null to say "rank R"
     */
    JobState(int size, String singleName) {
        this.size = size;
        this.singleName = singleName;
        pid = new long[size];
        Arrays.fill(pid, -1);
        connected = new boolean[size];
        endpoint = new boolean[size];
        bye = new boolean[size];
        closed = new boolean[size];
        exited = new boolean[size];
        code = new int[size];
        exitedAt = new long[size];
        closedAt = new long[size];
        failAt = new long[size];
        failReason = new String[size];
        lostPeer = new int[size];
        Arrays.fill(lostPeer, -1);
        host = new String[size];
        remote = new boolean[size];
    }

    /**
     * Makes this the state of a job whose ranks one external process starts ({@code name}: srun, mpirun, ...); see
     * the class comment.
     */
    JobState external(String name) {
        this.external = name;
        return this;
    }

    /** The rank runs on {@code hostName}, started over a remote shell (its exit code 255 means the shell failed). */
    void remote(int rank, String hostName) {
        host[rank] = hostName;
        remote[rank] = true;
    }

    /** A rank's process started. Ranks not (yet) started count as running: the job is not over without them. */
    void started(int rank, long processId) {
        pid[rank] = processId;
    }

    /** Ranks whose process has not exited (including those not started yet). */
    int running() {
        return size - exitedCount();
    }

    private int exitedCount() {
        int n = 0;
        for (boolean e : exited) {
            if (e) n++;
        }
        return n;
    }

    void apply(JobEvent e, long now) {
        if (e instanceof JobEvent.LauncherExited) {
            if (!externalExited) {
                externalExited = true;
                externalCode = ((JobEvent.LauncherExited) e).code();
                externalExitedAt = now;
            }
            return;
        }
        int r = e.rank();
        if (r < 0 || r >= size) return;
        if (e instanceof JobEvent.Connected) {
            connected[r] = true;
        } else if (e instanceof JobEvent.EndpointIn) {
            endpoint[r] = true;
        } else if (e instanceof JobEvent.Bye) {
            bye[r] = true;
        } else if (e instanceof JobEvent.Failed) {
            if (failReason[r] == null) {
                failReason[r] = ((JobEvent.Failed) e).reason();
                int lost = io.jmpi.bootstrap.ControlProtocol.lostPeerOf(failReason[r]);
                if (lost >= 0 && lost < size && lost != r) lostPeer[r] = lost;
                failAt[r] = now;
            }
        } else if (e instanceof JobEvent.Aborted) {
            if (abortRank < 0) {
                abortRank = r;
                abortCode = ((JobEvent.Aborted) e).code();
                abortReason = ((JobEvent.Aborted) e).reason();
            }
        } else if (e instanceof JobEvent.ControlClosed) {
            if (!closed[r]) {
                closed[r] = true;
                closedAt[r] = now;
            }
        } else if (e instanceof JobEvent.Located) {
            JobEvent.Located l = (JobEvent.Located) e;
            if (l.host() != null && (host[r] == null || !remote[r])) host[r] = l.host();
            if (l.pid() >= 0) pid[r] = l.pid();
        } else if (e instanceof JobEvent.Exited) {
            if (!exited[r]) {
                exited[r] = true;
                code[r] = ((JobEvent.Exited) e).code();
                exitedAt[r] = now;
            }
        }
    }

    /** The outcome once the job is over, or null while it goes on. */
    JobState.Outcome evaluate(long now) {
        if (abortRank >= 0) {
            return new Outcome(ExitCodes.forAbort(abortCode), abortRank,
                    who(abortRank) + " called abort with code " + abortCode + ": " + abortReason);
        }
        boolean anyEndpoint = false;
        for (boolean b : endpoint) anyEndpoint |= b;
        int stillRunning = external != null ? size : running();
        Outcome best = null;
        int bestRank = -1;
        long bestAt = Long.MAX_VALUE;
        long pendingAt = Long.MAX_VALUE;
        for (int r = 0; r < size; r++) {
            Outcome o = exited[r] ? afterExit(r, now, anyEndpoint, stillRunning) : whileRunning(r, now);
            if (o != null) {
                long t = failedAt(r);
                if (best == null || t < bestAt) {
                    best = o;
                    bestRank = r;
                    bestAt = t;
                }
            } else {
                pendingAt = Math.min(pendingAt, pendingSince(r, now));
            }
        }
        if (best != null) {
            if (pendingAt < bestAt) return null; // an earlier failure is about to be known
            // the rank to name reported losing a peer (who may have reported losing another, and so on) not yet
            // seen to fail: give that peer's death a moment to show
            int lost = lostPeer[lossChainEnd(bestRank)];
            if (lost >= 0 && ownFailedAt(lost) == Long.MAX_VALUE && !exited[lost]
                    && now - failAt[bestRank] < EXIT_SETTLE_MILLIS) {
                return null;
            }
            return best;
        }
        if (external != null) return afterLauncher(now);
        return stillRunning == 0 ? new Outcome(ExitCodes.OK, -1, null) : null;
    }

    /**
     * When a failed rank failed: when it hung up its control connection, else when it reported, else when it exited.
     * The first rank to fail is the one to name: the others usually failed because of it (a lost peer).
     */
    private long failedAt(int r) {
        // a rank that reported losing a peer which failed too failed after it, whatever the order the launcher saw;
        // so did one that lost a rank that lost that peer (rank 0 lost 2, which had lost 1: 1 is named)
        int end = lossChainEnd(r);
        if (end == r || lostPeer[end] >= 0 && ownFailedAt(lostPeer[end]) != Long.MAX_VALUE) return ownFailedAt(r);
        return ownFailedAt(end) + 1;
    }

    /**
     * Follows "r reported losing p" while p is seen to have failed: the last rank of that chain (r itself when its
     * lost peer is unknown or not seen failed). A chain that comes back to a rank on it (two ranks that each lost the
     * other) ends before the repeat.
     */
    private int lossChainEnd(int r) {
        int cur = r;
        for (int steps = 0; steps < size; steps++) {
            int p = lostPeer[cur];
            if (p < 0 || ownFailedAt(p) == Long.MAX_VALUE || onChain(r, cur, p)) return cur;
            cur = p;
        }
        return cur;
    }

    /** Whether {@code x} is on the loss chain from {@code r} up to and including {@code last}. */
    private boolean onChain(int r, int last, int x) {
        for (int cur = r, steps = 0; steps <= size; steps++) {
            if (cur == x) return true;
            if (cur == last) return false;
            cur = lostPeer[cur];
        }
        return false;
    }

    private long ownFailedAt(int r) {
        if (closed[r] && !bye[r]) return closedAt[r];
        if (failReason[r] != null) return failAt[r];
        if (exited[r]) return exitedAt[r];
        return Long.MAX_VALUE;
    }

    /** Since when a rank looks failed without the rules having decided yet (they will, within a grace). */
    private long pendingSince(int r, long now) {
        if (exited[r]) {
            return connected[r] && !closed[r] && now - exitedAt[r] < EXIT_SETTLE_MILLIS ? exitedAt[r] : Long.MAX_VALUE;
        }
        if (closed[r] && !bye[r] && now - closedAt[r] < CLOSE_GRACE_MILLIS) return closedAt[r];
        if (failReason[r] != null && now - failAt[r] < FAIL_GRACE_MILLIS) return failAt[r];
        return Long.MAX_VALUE;
    }

    /** An external launcher's job, once no rank has failed by the rules: decided by the launcher's exit. */
    private Outcome afterLauncher(long now) {
        int done = 0;
        for (int r = 0; r < size; r++) {
            if ((exited[r] && code[r] == 0) || (bye[r] && closed[r])) done++;
        }
        if (!externalExited) return null;
        if (done == size && externalCode == 0) return new Outcome(ExitCodes.OK, -1, null);
        if (now - externalExitedAt < EXIT_SETTLE_MILLIS && done < size) return null; // control lines may be in flight
        String ended = external + " exited with code " + externalCode;
        int blamed = -1;
        for (int r = 0; r < size; r++) {
            if (closed[r] && !bye[r] && (blamed < 0 || closedAt[r] < closedAt[blamed])) blamed = r;
        }
        if (blamed >= 0) {
            return failed(blamed, ExitCodes.forAbort(externalCode == 0 ? 1 : externalCode),
                    "closed its control connection without BYE" + reported(blamed) + "; " + ended);
        }
        boolean anyConnected = false;
        for (boolean c : connected) anyConnected |= c;
        if (!anyConnected) {
            return new Outcome(ExitCodes.forAbort(externalCode == 0 ? 1 : externalCode), -1, ended
                    + " before any rank connected to the launcher");
        }
        for (int r = 0; r < size; r++) {
            if (!connected[r]) {
                return failed(r, ExitCodes.forAbort(externalCode == 0 ? 1 : externalCode), "never connected to the "
                        + "launcher; " + ended);
            }
        }
        if (externalCode != 0) return new Outcome(ExitCodes.forAbort(externalCode), -1, ended);
        for (int r = 0; r < size; r++) {
            if (!bye[r]) return failed(r, ExitCodes.RANK_FAILED, "ended without closing jmpi (no BYE); " + ended);
        }
        return new Outcome(ExitCodes.OK, -1, null);
    }

    private Outcome afterExit(int r, long now, boolean anyEndpoint, int stillRunning) {
        if (connected[r] && !closed[r] && now - exitedAt[r] < EXIT_SETTLE_MILLIS) {
            return null; // its last control lines may still be in flight
        }
        if (code[r] != 0) {
            String text = remote[r] && code[r] == 255
                    ? "the remote shell exited with code 255 (host unreachable, login refused, or connection lost)"
                    : exitText(code[r]);
            return failed(r, code[r], text + reported(r));
        }
        if (connected[r] && !bye[r] && stillRunning > 0) {
            return failed(r, ExitCodes.RANK_FAILED,
                    "exited with code 0 without closing jmpi (no BYE) while other ranks still run" + reported(r));
        }
        if (!endpoint[r] && anyEndpoint) {
            return failed(r, ExitCodes.RANK_FAILED,
                    "exited with code 0 before joining the rendezvous; the other ranks would wait for it forever");
        }
        return null;
    }

    private Outcome whileRunning(int r, long now) {
        if (failReason[r] != null && now - failAt[r] >= FAIL_GRACE_MILLIS) {
            return failed(r, ExitCodes.RANK_FAILED, "reported a failure and did not exit within "
                    + FAIL_GRACE_MILLIS / 1000 + " s; it reported: " + failReason[r]);
        }
        if (closed[r] && !bye[r] && now - closedAt[r] >= CLOSE_GRACE_MILLIS) {
            return failed(r, ExitCodes.RANK_FAILED, "closed its control connection without BYE" + reported(r));
        }
        return null;
    }

    private Outcome failed(int r, int exitCode, String why) {
        return new Outcome(exitCode, r, who(r) + " failed: " + why);
    }

    private String reported(int r) {
        return failReason[r] == null ? "" : "; it reported: " + failReason[r];
    }

    /** Java reports a process killed by signal S as exit code 128 + S; say so, as a likely reading. */
    static String exitText(int code) {
        if (code > 128 && code <= 128 + 64) return "exited with code " + code + " (killed by signal " + (code - 128) + "?)";
        return "exited with code " + code;
    }

    String who(int r) {
        String pidText = pid[r] >= 0 ? " (pid " + pid[r] + ")" : "";
        String where = host[r] != null ? " on " + host[r] : "";
        return (singleName != null ? singleName : "rank " + r) + where + pidText;
    }
}
