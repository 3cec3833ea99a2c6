package io.jmpi.coll;

import io.jmpi.engine.TagDescriber;

/**
 * Reads collective tags back for diagnoses, by {@link Schedule}'s own layout: a collective message's tag carries the
 * communicator's collective sequence number and the message round. Collective traffic travels on a communicator's
 * collective context, the odd {@code context + 1} of its even point-to-point context (see {@link Channel}).
 */
public final class CollectiveTags implements TagDescriber {
    public static final CollectiveTags INSTANCE = new CollectiveTags();

    private CollectiveTags() {
    }

    @Override
    public boolean internal(int context) {
        return (context & 1) == 1;
    }

    @Override
    public String describe(int context, int tag) {
        if (!internal(context)) return TagDescriber.plain(tag);
        return "collective #" + (tag >>> (Schedule.ROUND_BITS + Schedule.SIG_BITS)) + ", message round "
                + (tag & Schedule.ROUND_MASK);
    }
}
