package io.jmpi.examples;

import io.jmpi.Comm;
import io.jmpi.Mpi;
import io.jmpi.Op;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Word count, map-reduce style, over a generated text whose word frequencies follow Zipf's law.
 *
 * <p>The parallel idea, in the three phases of map-reduce, with the object collectives (whole Java objects,
 * serialized, instead of arrays):
 * <ol>
 *   <li><b>map</b>: each rank counts the words of its share of the text into a {@code Map<String, Long>} (a
 *       combiner: one entry per distinct word, not one per occurrence);</li>
 *   <li><b>shuffle</b>: word w belongs to reducer {@code hash(w) mod p}; each rank cuts its map into p maps and one
 *       {@code alltoallObject} delivers to every rank the partial counts of the words it owns;</li>
 *   <li><b>reduce</b>: each rank adds up the partial counts of its words; a {@code gatherObject} brings the p
 *       disjoint results to rank 0.</li>
 * </ol>
 * The text is cut into a fixed number of chunks, chunk c generated from the c-th {@code split()} of one
 * {@link SplittableRandom}, so it is the same text for any number of ranks. Verified: rank 0 regenerates the whole
 * text and counts it serially; the maps must be equal, and the total must be the number of words
 * (an allreduce). Arguments: {@code [--words=N] [--vocabulary=V] [--seed=SEED]}.
 */
public final class WordCount {
    private static final int CHUNKS = 256;

    public static void main(String[] args) {
        Args a = new Args("wordcount", args);
        long words = a.integer("words", 2_000_000L, 1, 1L << 32);
        int vocabulary = a.integer("vocabulary", 20_000, 1, 1 << 24);
        long seed = a.integer("seed", 11, Long.MIN_VALUE, Long.MAX_VALUE);
        a.done();
        boolean verified;
        try (Mpi mpi = Mpi.init(args)) {
            Comm world = mpi.world();
            int p = world.size();
            Text text = new Text(words, vocabulary, seed);
            Partition chunks = new Partition(CHUNKS, p);

            double t0 = Summary.start(world);
            // map: count my chunks
            Map<String, Long> counts = new HashMap<>();
            for (int c = (int) chunks.lo(world.rank()); c < chunks.hi(world.rank()); c++) {
                count(text.chunk(c), counts);
            }
            // shuffle: each word to the rank that reduces it
            List<HashMap<String, Long>> outgoing = new ArrayList<>();
            for (int r = 0; r < p; r++) outgoing.add(new HashMap<>());
            counts.forEach((w, k) -> outgoing.get(Math.floorMod(w.hashCode(), p)).put(w, k));
            List<HashMap<String, Long>> incoming = world.alltoallObject(outgoing);
            // reduce: add up the partial counts of my words
            HashMap<String, Long> mine = new HashMap<>();
            for (Map<String, Long> part : incoming) part.forEach((w, k) -> mine.merge(w, k, Long::sum));
            List<HashMap<String, Long>> results = world.gatherObject(mine, 0);
            double t = Summary.stop(world, t0);

            long[] total = {0};
            for (long k : mine.values()) total[0] += k;
            world.allreduce(total, Op.SUM);
            boolean ok = total[0] == words;
            if (world.rank() == 0) {
                Map<String, Long> all = new HashMap<>();
                for (Map<String, Long> r : results) all.putAll(r);   // reducers own disjoint words
                Map<String, Long> serial = new HashMap<>();
                for (int c = 0; c < CHUNKS; c++) count(text.chunk(c), serial);
                ok &= all.equals(serial);
                List<Map.Entry<String, Long>> top = new ArrayList<>(all.entrySet());
                top.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
                System.out.printf("wordcount result: distinct=%d total=%d top=%s%n", all.size(), total[0],
                        top.subList(0, Math.min(5, top.size())));
            }
            verified = Summary.all(world, ok);
            Summary.report(world, "wordcount", words + " words", t, verified);
        }
        System.exit(Summary.exitCode(verified));
    }

    /** The map step: split on white space, count. */
    static void count(String text, Map<String, Long> counts) {
        int i = 0, n = text.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(text.charAt(i))) i++;
            int start = i;
            while (i < n && !Character.isWhitespace(text.charAt(i))) i++;
            if (i > start) counts.merge(text.substring(start, i), 1L, Long::sum);
        }
    }

    /** The generated text: words drawn with probability proportional to 1/(rank + 1), in lines of 12 words. */
    static final class Text {
        private final Partition perChunk;
        private final long seed;
        private final double[] cdf;
        private final String[] dictionary;

        Text(long words, int vocabulary, long seed) {
            this.perChunk = new Partition(words, CHUNKS);
            this.seed = seed;
            cdf = new double[vocabulary];
            dictionary = new String[vocabulary];
            double sum = 0;
            for (int r = 0; r < vocabulary; r++) {
                sum += 1.0 / (r + 1);
                cdf[r] = sum;
                dictionary[r] = word(r);
            }
            for (int r = 0; r < vocabulary; r++) cdf[r] /= sum;
        }

        /** Chunk {@code c}: generated from the c-th child stream, whichever rank asks. */
        String chunk(int c) {
            SplittableRandom root = new SplittableRandom(seed), stream = null;
            for (int i = 0; i <= c; i++) stream = root.split();
            StringBuilder sb = new StringBuilder();
            for (int i = 0, n = perChunk.count(c); i < n; i++) {
                int r = java.util.Arrays.binarySearch(cdf, stream.nextDouble());
                sb.append(dictionary[Math.min(r < 0 ? -r - 1 : r, cdf.length - 1)]).append(i % 12 == 11 ? '\n' : ' ');
            }
            return sb.toString();
        }

        /** A pronounceable word for each rank: syllables from the digits of r in base 16. */
        private static String word(int r) {
            String[] syllables = {"ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "vu", "we", "xa", "yo", "zi", "be", "do", "fu"};
            StringBuilder sb = new StringBuilder();
            do {
                sb.append(syllables[r & 15]);
                r >>>= 4;
            } while (r != 0);
            return sb.toString();
        }
    }
}
