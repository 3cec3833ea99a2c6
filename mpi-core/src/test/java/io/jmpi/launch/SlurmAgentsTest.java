package io.jmpi.launch;

import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Placement over a Slurm allocation, the agents' srun step and how an agent finds its index. */
@Timeout(10)
class SlurmAgentsTest {
    private static final List<String> PREFIX = List.of("srun", "--kill-on-bad-exit=1", "--mpi=none", "--export=ALL",
            "--input=none", "--ntasks=6", "--label");

    @Test
    void tasksPerNodeOfSlurm() {
        assertEquals(List.of(2, 2, 2), SlurmAgents.tasksPerNode("2(x3)", 3));
        assertEquals(List.of(4, 1, 1), SlurmAgents.tasksPerNode("4,1(x2)", 3));
        assertNull(SlurmAgents.tasksPerNode("2(x2)", 3)); // not one entry per node: unknown
        assertNull(SlurmAgents.tasksPerNode("two", 1));
        assertNull(SlurmAgents.tasksPerNode(null, 1));
    }

    @Test
    void ranksFillTheAllocationsNodesInOrder() {
        Map<String, String> env = Map.of("SLURM_JOB_NODELIST", "h[1-3]", "SLURM_TASKS_PER_NODE", "2(x3)");
        List<Placement.Rank> ranks = SlurmAgents.place(env, PREFIX, 5);
        assertEquals(List.of("h1", "h1", "h2", "h2", "h3"), ranks.stream().map(Placement.Rank::host).toList());
        assertEquals(List.of(0, 1, 0, 1, 0), ranks.stream().map(Placement.Rank::localRank).toList());
        assertEquals(0, ranks.stream().filter(Placement.Rank::local).count(), "every node's ranks go to its agent");
        assertEquals(List.of("h1", "h2", "h3"), SlurmAgents.nodes(ranks));
        // fewer ranks than nodes: only the nodes with ranks get an agent
        assertEquals(List.of("h1"), SlurmAgents.nodes(SlurmAgents.place(env, PREFIX, 2)));
        MpiException e = assertThrows(MpiException.class, () -> SlurmAgents.place(env, PREFIX, 7));
        assertEquals(true, e.getMessage().contains("-np 7 needs 7 slots but only 6"), e.getMessage());
    }

    @Test
    void srunArgsNtasksPerNodeSetsTheSlots() {
        Map<String, String> env = Map.of("SLURM_JOB_NODELIST", "n[01-02]", "SLURM_TASKS_PER_NODE", "1(x2)");
        List<String> prefix = new java.util.ArrayList<>(PREFIX);
        prefix.add("--ntasks-per-node=3");
        List<Placement.Rank> ranks = SlurmAgents.place(env, prefix, 6);
        assertEquals(List.of("n01", "n01", "n01", "n02", "n02", "n02"), ranks.stream().map(Placement.Rank::host).toList());
        assertThrows(MpiException.class, () -> SlurmAgents.perNodeOption(List.of("--ntasks-per-node=0")));
        assertEquals(2, SlurmAgents.perNodeOption(List.of("--ntasks-per-node", "2")));
        // no SLURM_TASKS_PER_NODE: one slot per node
        assertEquals(2, SlurmAgents.allocation(Map.of("SLURM_JOB_NODELIST", "a,b"), PREFIX).stream()
                .mapToInt(Hostfile.Host::slots).sum());
        assertThrows(MpiException.class, () -> SlurmAgents.allocation(Map.of(), PREFIX));
    }

    @Test
    void theStepHasOneTaskPerNodeAndKeepsTheUsersSrunArgs() {
        List<String> prefix = new java.util.ArrayList<>(PREFIX);
        prefix.addAll(List.of("--partition=debug", "--ntasks-per-node=2"));
        List<String> argv = SlurmAgents.stepArgv(prefix, List.of("h1", "h3"), List.of("java", "Agent"));
        assertEquals(List.of("srun", "--mpi=none", "--export=ALL", "--input=none", "--partition=debug",
                "--nodes=2", "--ntasks=2", "--ntasks-per-node=1", "--nodelist=h1,h3", "--cpu-bind=none", "--whole", "--quiet",
                "java", "Agent"), argv);
    }

    @Test
    void anAgentFindsItsIndexByItsNodesName() {
        List<String> nodes = List.of("h1", "h2.cluster", "h3");
        assertEquals(2, SlurmAgent.index(nodes, "h3"));
        assertEquals(1, SlurmAgent.index(nodes, "h2"));
        assertEquals(0, SlurmAgent.index(nodes, "h1.cluster"));
        assertEquals(-1, SlurmAgent.index(nodes, "h4"));
    }
}
