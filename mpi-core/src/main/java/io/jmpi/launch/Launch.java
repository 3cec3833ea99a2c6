package io.jmpi.launch;

import java.util.List;

/**
 * How a job's rank JVMs are started, as decided by the command line and the environment.
 *
 * @param mode       see {@link Mode}
 * @param ranks      {@link Mode#SSH}: where each rank runs (index = rank); empty otherwise
 * @param agent      {@link Mode#SSH}: the remote shell command, e.g. {@code [ssh, -F, cfg]}
 * @param bind       {@code --bind}/{@code --iface}: the address, CIDR or interface for the launcher's server and the
 *                   ranks; empty for the default
 * @param prefix     {@link Mode#SLURM}, {@link Mode#WRAP}: the command that starts every rank, to which the rank's java
 *                   command line is appended ({@code srun ...}, {@code mpirun ...})
 * @param rankFrom   {@link Mode#SLURM}, {@link Mode#WRAP}: variables that hold each rank's number
 *                   ({@code JMPI_RANK_FROM})
 * @param localRankFrom as {@code rankFrom}, for the local rank
 * @param peerHosts  hosts the ranks run on, when known, to choose the server's address ({@link Mode#SLURM}: the
 *                   allocation's nodes)
 */
record Launch(Mode mode, List<Placement.Rank> ranks, List<String> agent, String bind, List<String> prefix,
              String rankFrom, String localRankFrom, List<String> peerHosts) {
    enum Mode {
        /** Every rank a JVM started on this machine (or, with the local transport, one JVM). */
        LOCAL,
        /** Ranks placed on hosts from {@code --hostfile}/{@code --host}: local ones started directly, others over ssh. */
        SSH,
        /** Inside a Slurm allocation: one {@code srun} starts every rank. */
        SLURM,
        /** {@code --wrap CMD}: one command (Open MPI's mpirun, ...) starts every rank. */
        WRAP
    }

    Launch {
        ranks = List.copyOf(ranks);
        agent = List.copyOf(agent);
        prefix = List.copyOf(prefix);
        peerHosts = List.copyOf(peerHosts);
        bind = bind == null ? "" : bind;
    }

    static Launch local(String bind) {
        return new Launch(Mode.LOCAL, List.of(), List.of(), bind, List.of(), null, null, List.of());
    }

    /** The name of the one process that starts every rank, for messages ({@code srun}, {@code mpirun}). */
    String externalName() {
        if (prefix.isEmpty()) return "the launcher command";
        String p = prefix.get(0);
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /** True when some rank runs on another host. */
    boolean anyRemote() {
        for (Placement.Rank r : ranks) {
            if (!r.local()) return true;
        }
        return false;
    }
}
