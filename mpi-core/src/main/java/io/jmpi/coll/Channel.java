package io.jmpi.coll;

import io.jmpi.engine.Engine;
import io.jmpi.engine.RankMap;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the collective layer knows of a communicator: its ranks, its collective context ({@code context + 1} of
 * the communicator, never the point-to-point one), and the sequence number of its next collective. All ranks
 * call collectives on a communicator in the same order, so the n-th collective has sequence n everywhere, and its
 * messages carry tags made of (sequence, round): consecutive and concurrent collectives never match each other's
 * messages.
 */
public final class Channel {
    final Engine engine;
    final int context;
    final int rank;
    final int size;
    private final int[] worldRanks;
    final RankMap rankMap;
    final Progress progress;
    final String name;
    private final AtomicInteger seq = new AtomicInteger();

    public Channel(Engine engine, int collContext, int rank, int size, int[] worldRanks, RankMap rankMap,
                   Progress progress, String name) {
        this.engine = engine;
        this.context = collContext;
        this.rank = rank;
        this.size = size;
        this.worldRanks = worldRanks;
        this.rankMap = rankMap;
        this.progress = progress;
        this.name = name;
    }

    int world(int r) {
        return worldRanks == null ? r : worldRanks[r];
    }

    int nextSeq() {
        return seq.getAndIncrement();
    }

    public Tuning tuning() {
        return progress.tuning;
    }
}
