package io.jmpi.launch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent tree's shape ({@link AgentTree#plan}) and its TREE frame. */
class AgentTreeTest {
    /** {@code hosts} remote hosts h1.. with {@code perHost} ranks each, after {@code local} ranks on this machine. */
    private static Map<String, List<Integer>> hosts(int local, int hosts, int perHost) {
        Map<String, List<Integer>> m = new LinkedHashMap<>();
        int r = 0;
        if (local > 0) {
            List<Integer> l = new ArrayList<>();
            for (int i = 0; i < local; i++) l.add(r++);
            m.put("", l);
        }
        for (int h = 1; h <= hosts; h++) {
            List<Integer> l = new ArrayList<>();
            for (int i = 0; i < perHost; i++) l.add(r++);
            m.put("h" + h, l);
        }
        return m;
    }

    @Test
    void hostsThatFitTheFanoutEachGetAnAgentOfJmpirun() {
        List<AgentTree.Node> roots = AgentTree.plan(hosts(2, 3, 2), 32);
        assertEquals(4, roots.size());
        assertEquals("", roots.get(0).host());
        assertEquals(List.of(0, 1), roots.get(0).ranks());
        for (AgentTree.Node n : roots) assertEquals(1, n.depth());
    }

    @Test
    void fanoutOneMakesAChainAndTheLocalAgentStaysJmpirunsOwn() {
        List<AgentTree.Node> roots = AgentTree.plan(hosts(4, 2, 4), 1);
        assertEquals(2, roots.size(), "the local agent and one ssh agent");
        AgentTree.Node h1 = roots.get(1);
        assertEquals("h1", h1.host());
        assertEquals(List.of(4, 5, 6, 7), h1.ranks());
        assertEquals(1, h1.children().size());
        assertEquals("h2", h1.children().get(0).host());
        assertEquals(8, h1.total());
        assertEquals(List.of(4, 5, 6, 7, 8, 9, 10, 11), h1.allRanks());
        assertEquals(2, h1.depth());
    }

    @Test
    void everyAgentStartsAtMostFanoutAgentsAndEveryHostHasOneAgent() {
        for (int fanout = 1; fanout <= 5; fanout++) {
            for (int h = 1; h <= 40; h++) {
                List<AgentTree.Node> roots = AgentTree.plan(hosts(0, h, 1), fanout);
                assertTrue(roots.size() <= fanout, h + " hosts, fanout " + fanout);
                List<String> seen = new ArrayList<>();
                int depth = 0;
                for (AgentTree.Node n : roots) {
                    collect(n, fanout, seen);
                    depth = Math.max(depth, n.depth());
                }
                assertEquals(h, seen.size());
                assertEquals(h, new java.util.HashSet<>(seen).size());
                if (fanout >= 2) {
                    // each level divides what is left by the fanout: depth about log_fanout(h)
                    int bound = 1 + (int) Math.ceil(Math.log(h) / Math.log(fanout));
                    assertTrue(depth <= bound, h + " hosts, fanout " + fanout + ": depth " + depth + " > " + bound);
                }
            }
        }
    }

    private static void collect(AgentTree.Node n, int fanout, List<String> seen) {
        assertTrue(n.children().size() <= fanout);
        seen.add(n.host());
        for (AgentTree.Node c : n.children()) collect(c, fanout, seen);
    }

    @Test
    void theTreeFrameRoundTrips() throws IOException {
        AgentTree.Node root = AgentTree.plan(hosts(0, 7, 3), 2).get(1);
        AgentTree.Spawn spawn = new AgentTree.Spawn(List.of("ssh", "-F", "/x y/cfg"), "/work dir",
                List.of("java", "-cp", "a:b", "io.jmpi.launch.HostAgent"), List.of("abc", "2000", "", "false"));
        List<String> words = AgentTree.encode(spawn, root);
        AgentTree.Decoded d = AgentTree.decode(AgentFrames.strings(AgentFrames.strings(words)));
        assertEquals(spawn, d.spawn());
        assertEquals(root, d.node());
        assertEquals(List.of("java", "-cp", "a:b", "io.jmpi.launch.HostAgent", "10.0.0.2", "4711", "3", "abc", "2000",
                "", "false"), d.spawn().command("10.0.0.2", 4711, 3));
        assertThrows(IOException.class, () -> AgentTree.decode(words.subList(0, words.size() - 1)));
        List<String> longer = new ArrayList<>(words);
        longer.add("x");
        assertThrows(IOException.class, () -> AgentTree.decode(longer));
    }
}
