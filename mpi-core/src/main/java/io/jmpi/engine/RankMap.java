package io.jmpi.engine;

/** Translates world ranks (used on the wire) to a communicator's ranks (reported to users). */
public interface RankMap {
    RankMap IDENTITY = w -> w;

    int toLocal(int worldRank);
}
