package io.jmpi.launch;

import io.jmpi.launch.testapps.ExchangeApp;
import io.jmpi.testing.RankJvms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hierarchical endpoint exchange (setting {@code agentExchange}) through its counters: with a launch agent holding
 * its ranks' control connections, jmpirun receives one endpoint message and sends one table per agent; with the
 * connections tunnelled byte for byte it is one per rank, as without agents. jmpirun prints the counters with
 * {@code initTimings}.
 */
@Timeout(90)
class AgentExchangeIT {
    private static final Pattern COUNTERS = Pattern.compile(
            "jmpirun: endpoint exchange: (\\d+) messages received, (\\d+) tables sent \\((\\d+) ranks, (\\d+) launch agents");
    private final RankJvms ranks = new RankJvms();

    @AfterEach
    void noRankSurvivesATest() {
        ranks.killAll();
    }

    private int[] run(int np, String... settings) {
        List<String> args = new ArrayList<>(List.of("-np", Integer.toString(np), "-D", "hostAgents=on", "-D",
                "initTimings=true", "--tag-output"));
        for (String s : settings) args.addAll(List.of("-D", s));
        args.addAll(List.of(ranks.jvmArgs(), "-cp", System.getProperty("java.class.path"), ExchangeApp.class.getName(),
                "ok"));
        InProcessJmpirun.Result r = InProcessJmpirun.run(args.toArray(new String[0]));
        assertEquals(ExitCodes.OK, r.code(), r.err());
        for (int rank = 0; rank < np; rank++) {
            assertTrue(r.out().contains("[" + rank + "] hello from rank " + rank + " on 127.0.0.1\n"), r.out());
        }
        assertTrue(ranks.alive().isEmpty(), "rank JVMs left behind:\n" + ranks.describeAlive());
        Matcher m = COUNTERS.matcher(r.err());
        assertTrue(m.find(), r.err());
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4))};
    }

    @Test
    void anAgentHoldingItsRanksConnectionsExchangesOnceForAllOfThem() {
        int[] c = run(4);
        System.out.println("AgentExchangeIT: hierarchical: received " + c[0] + ", sent " + c[1]);
        assertEquals(1, c[3], "one launch agent (this machine)");
        assertEquals(1, c[0], "endpoint messages jmpirun received");
        assertEquals(1, c[1], "tables jmpirun sent");
    }

    @Test
    void tunnelledConnectionsExchangeOncePerRank() {
        int[] c = run(4, "agentExchange=false");
        System.out.println("AgentExchangeIT: tunnelled: received " + c[0] + ", sent " + c[1]);
        assertEquals(4, c[0]);
        assertEquals(4, c[1]);
    }
}
