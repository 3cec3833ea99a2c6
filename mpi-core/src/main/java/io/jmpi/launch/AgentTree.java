package io.jmpi.launch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The tree of launch agents (setting {@code agentFanout}; docs/SCALING.md, "Tree of agents"). jmpirun starts the agent
 * of its own host (when it has ranks) and at most {@code fanout} agents over ssh: with more remote hosts than that, the
 * remote hosts are cut into {@code fanout} contiguous slices, and the agent of a slice's first host starts the agents
 * of the rest of its slice, cutting it again when it is longer than {@code fanout}. Depth about log_fanout(H); every
 * agent opens at most {@code fanout} ssh sessions.
 *
 * <p>A {@link Node} is one agent: its host ("" for jmpirun's own machine), the ranks it starts itself and the agents
 * it starts. It travels to its agent in the TREE frame ({@link #encode}, {@link #decode}), with the {@link Spawn}
 * that says how to start agents.
 */
final class AgentTree {
    private AgentTree() {
    }

    /** One agent of the tree. */
    record Node(String host, List<Integer> ranks, List<Node> children) {
        Node {
            ranks = List.copyOf(ranks);
            children = List.copyOf(children);
        }

        /** Ranks of this agent and every agent below it. */
        int total() {
            int n = ranks.size();
            for (Node c : children) n += c.total();
            return n;
        }

        /** Every rank of the subtree, this agent's first. */
        List<Integer> allRanks() {
            List<Integer> all = new ArrayList<>(ranks);
            for (Node c : children) all.addAll(c.allRanks());
            return all;
        }

        /** Agents in the subtree, this one included. */
        int agents() {
            int n = 1;
            for (Node c : children) n += c.agents();
            return n;
        }

        /** Levels of agents in the subtree (1 for a leaf). */
        int depth() {
            int d = 0;
            for (Node c : children) d = Math.max(d, c.depth());
            return d + 1;
        }
    }

    /**
     * How an agent starts the agents below it: the launch agent's words ({@code ssh ...}), the working directory,
     * the agent JVM's command up to its class name, and its last arguments (job id, grace, shmDir, portable); the
     * starting agent puts its own address, port and the child's index between the two.
     */
    record Spawn(List<String> agent, String cwd, List<String> javaPrefix, List<String> tail) {
        Spawn {
            agent = List.copyOf(agent);
            javaPrefix = List.copyOf(javaPrefix);
            tail = List.copyOf(tail);
        }

        List<String> command(String parentHost, int parentPort, int index) {
            return command(parentHost, parentPort, Integer.toString(index));
        }

        /** The agent's command with {@code index} as given (a Slurm step's agents get the node list there). */
        List<String> command(String parentHost, int parentPort, String index) {
            List<String> cmd = new ArrayList<>(javaPrefix);
            cmd.add(parentHost);
            cmd.add(Integer.toString(parentPort));
            cmd.add(index);
            cmd.addAll(tail);
            return cmd;
        }
    }

    /**
     * The agents jmpirun starts itself, with the trees below them: the local agent (key "") first when there is one,
     * then the remote hosts in their order, each its own agent when there are at most {@code fanout}, else
     * {@code fanout} slices.
     *
     * @param byHost ranks by host, in placement order; "" is jmpirun's own machine
     */
    static List<Node> plan(Map<String, List<Integer>> byHost, int fanout) {
        if (fanout < 1) throw new IllegalArgumentException("fanout " + fanout + " < 1");
        List<Node> roots = new ArrayList<>();
        List<Node> remote = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : byHost.entrySet()) {
            Node leaf = new Node(e.getKey(), e.getValue(), List.of());
            if (e.getKey().isEmpty()) roots.add(leaf);
            else remote.add(leaf);
        }
        roots.addAll(slices(remote, fanout));
        return roots;
    }

    /** {@code hosts} as at most {@code fanout} subtrees: each host its own when they fit, else contiguous slices. */
    private static List<Node> slices(List<Node> hosts, int fanout) {
        if (hosts.size() <= fanout) return hosts;
        List<Node> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < fanout; i++) {
            int to = from + (hosts.size() - from) / (fanout - i);
            List<Node> slice = hosts.subList(from, to);
            Node head = slice.get(0);
            out.add(new Node(head.host(), head.ranks(), slices(slice.subList(1, slice.size()), fanout)));
            from = to;
        }
        return out;
    }

    /** The TREE frame's words: the spawn, then the node (pre-order: host, ranks, children). */
    static List<String> encode(Spawn spawn, Node node) {
        List<String> w = new ArrayList<>();
        words(w, spawn.agent());
        w.add(spawn.cwd());
        words(w, spawn.javaPrefix());
        words(w, spawn.tail());
        node(w, node);
        return w;
    }

    private static void words(List<String> w, List<String> list) {
        w.add(Integer.toString(list.size()));
        w.addAll(list);
    }

    private static void node(List<String> w, Node n) {
        w.add(n.host());
        w.add(Integer.toString(n.ranks().size()));
        for (int r : n.ranks()) w.add(Integer.toString(r));
        w.add(Integer.toString(n.children().size()));
        for (Node c : n.children()) node(w, c);
    }

    /** A decoded TREE frame. */
    record Decoded(Spawn spawn, Node node) {
    }

    /** The inverse of {@link #encode}; IOException for words that are no tree. */
    static Decoded decode(List<String> words) throws IOException {
        try {
            int[] at = {0};
            List<String> agent = list(words, at);
            String cwd = words.get(at[0]++);
            List<String> prefix = list(words, at);
            List<String> tail = list(words, at);
            Node n = node(words, at, 0);
            if (at[0] != words.size()) throw new IOException("tree frame: " + (words.size() - at[0]) + " words left over");
            return new Decoded(new Spawn(agent, cwd, prefix, tail), n);
        } catch (RuntimeException e) {
            throw new IOException("bad tree frame: " + e, e);
        }
    }

    private static List<String> list(List<String> w, int[] at) {
        int n = count(w, at);
        List<String> l = new ArrayList<>(w.subList(at[0], at[0] + n));
        at[0] += n;
        return l;
    }

    private static int count(List<String> w, int[] at) {
        int n = Integer.parseInt(w.get(at[0]++));
        if (n < 0 || n > w.size()) throw new IllegalArgumentException("count " + n);
        return n;
    }

    private static Node node(List<String> w, int[] at, int depth) {
        if (depth > 64) throw new IllegalArgumentException("tree deeper than 64");
        String host = w.get(at[0]++);
        int n = count(w, at);
        List<Integer> ranks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) ranks.add(Integer.parseInt(w.get(at[0]++)));
        int c = count(w, at);
        List<Node> children = new ArrayList<>(c);
        for (int i = 0; i < c; i++) children.add(node(w, at, depth + 1));
        return new Node(host, ranks, Collections.unmodifiableList(children));
    }
}
