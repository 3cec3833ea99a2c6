package io.jmpi.launch;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.base.Platform;
import io.jmpi.bootstrap.BindAddress;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Which host each rank runs on. {@link MapBy#SLOT} (the default, as Open MPI's {@code --map-by slot}) fills the
 * first host's slots, then the next host's; {@link MapBy#NODE} deals ranks round-robin over the hosts that still
 * have a free slot. More ranks than slots is an error unless {@code --oversubscribe}: then the same order simply
 * repeats.
 */
final class Placement {
    enum MapBy {
        SLOT, NODE;

        static MapBy parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            if (t.equals("slot") || t.equals("core")) return SLOT;
            if (t.equals("node")) return NODE;
            throw new MpiException(ErrorClass.ARG, "--map-by=" + text + " is not valid; allowed slot, node");
        }
    }

    /**
     * Where one rank runs.
     *
     * @param host      the host's name as the user wrote it
     * @param localRank index of the rank among the ranks of its host
     * @param local     true when the host is this machine: the rank is started directly, without the launch agent
     */
    record Rank(String host, int localRank, boolean local) {
    }

    private Placement() {
    }

    /** Places {@code np} ranks; {@code isLocal} tells which host names are this machine. */
    static List<Rank> place(List<Hostfile.Host> hosts, int np, MapBy mapBy, boolean oversubscribe,
                            Predicate<String> isLocal) {
        int total = 0;
        for (Hostfile.Host h : hosts) total += h.slots();
        if (np > total && !oversubscribe) {
            StringBuilder list = new StringBuilder();
            for (Hostfile.Host h : hosts) {
                if (list.length() > 0) list.append(", ");
                if (list.length() > 200) {
                    list.append("...");
                    break;
                }
                list.append(h.name()).append(':').append(h.slots());
            }
            throw new MpiException(ErrorClass.ARG, "-np " + np + " needs " + np + " slots but only " + total + " are "
                    + "available (" + list + "); add slots, hosts, or --oversubscribe");
        }
        List<Integer> order = mapBy == MapBy.SLOT ? bySlot(hosts, np) : byNode(hosts, np);
        Map<Integer, Integer> perHost = new HashMap<>();
        Map<String, Boolean> local = new HashMap<>();
        List<Rank> ranks = new ArrayList<>(np);
        for (int h : order) {
            String name = hosts.get(h).name();
            int lr = perHost.merge(h, 1, Integer::sum) - 1;
            ranks.add(new Rank(name, lr, local.computeIfAbsent(name, isLocal::test)));
        }
        return ranks;
    }

    /** Host index of each rank: every slot of host 0, then of host 1, ...; repeated when oversubscribed. */
    private static List<Integer> bySlot(List<Hostfile.Host> hosts, int np) {
        List<Integer> order = new ArrayList<>(np);
        while (order.size() < np) {
            for (int h = 0; h < hosts.size() && order.size() < np; h++) {
                for (int s = 0; s < hosts.get(h).slots() && order.size() < np; s++) order.add(h);
            }
        }
        return order;
    }

    /** Round-robin over hosts with a free slot; once every slot is taken (oversubscribed) over all hosts. */
    private static List<Integer> byNode(List<Hostfile.Host> hosts, int np) {
        List<Integer> order = new ArrayList<>(np);
        int[] used = new int[hosts.size()];
        int total = 0;
        for (Hostfile.Host h : hosts) total += h.slots();
        while (order.size() < np) {
            boolean full = order.size() >= total;
            for (int h = 0; h < hosts.size() && order.size() < np; h++) {
                if (full || used[h] < hosts.get(h).slots()) {
                    used[h]++;
                    order.add(h);
                }
            }
        }
        return order;
    }

    /**
     * True when {@code host} is this machine: {@code localhost}, a loopback address, this machine's host name (short or
     * full), or a name or address that resolves to an address of one of its interfaces. A name that does not resolve
     * is not local (the launch agent will say why it cannot reach it).
     */
    static boolean isThisMachine(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("localhost.localdomain")) {
            return true;
        }
        String own = ownHostname().toLowerCase(Locale.ROOT);
        if (!own.isEmpty() && (h.equals(own) || h.equals(shortName(own)) || shortName(h).equals(own))) return true;
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (BindAddress.isLocal(a)) return true;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    private static String shortName(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** This host's name: the kernel's (of this UTS namespace) on Linux, without a name lookup; Java's elsewhere. */
    static String ownHostname() {
        return Platform.hostname(false);
    }
}
