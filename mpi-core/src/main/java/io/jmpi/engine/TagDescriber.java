package io.jmpi.engine;

/**
 * Says what a tag means, for diagnoses. The engine matches tags without knowing their layout; a layer that encodes
 * something in them (the collectives: sequence number and round) installs a describer with
 * {@link Engine#describeTagsWith}, so a person reading a hang diagnosis sees "collective #3, message round 1"
 * rather than a 30-bit number.
 */
public interface TagDescriber {
    /** Tags as the program chose them. */
    TagDescriber PLAIN = new TagDescriber() {
        @Override
        public boolean internal(int context) {
            return false;
        }

        @Override
        public String describe(int context, int tag) {
            return plain(tag);
        }
    };

    /** Whether {@code context} carries the library's own traffic rather than the program's point-to-point messages. */
    boolean internal(int context);

    /** A tag on {@code context} as a user reads it, e.g. {@code tag 5}, {@code any tag}. */
    String describe(int context, int tag);

    /** A program's tag: {@code tag 5}, or {@code any tag} for the wildcard. */
    static String plain(int tag) {
        return tag == Engine.ANY_TAG ? "any tag" : "tag " + tag;
    }
}
