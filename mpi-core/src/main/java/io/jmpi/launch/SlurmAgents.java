package io.jmpi.launch;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.bootstrap.HostList;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Launch agents through Slurm (setting {@code hostAgents}; docs/SCALING.md, "Slurm: one agent per node"): inside an
 * allocation jmpirun places the ranks on the allocation's nodes itself (as {@code srun}'s default block distribution
 * would: the first node's tasks, then the next node's) and starts ONE job step,
 * {@code srun --ntasks-per-node=1 --nodes=K --nodelist=... java ... io.jmpi.launch.SlurmAgent ...}, whose task on each
 * node is that node's {@link HostAgent}. Everything after the start (frames, relayed control channel, stop, clean-up)
 * is {@link AgentLauncher}'s, as for the agents started over ssh.
 */
final class SlurmAgents {
    /** {@code 2(x3)}: 3 nodes of 2 tasks; {@code 4}: one node of 4. */
    private static final Pattern TASKS = Pattern.compile("(\\d+)(?:\\(x(\\d+)\\))?");
    /** Options of the per-rank srun prefix that do not apply to the agents' step (they are replaced). */
    private static final Pattern DROPPED = Pattern.compile("--ntasks=.*|--label|--kill-on-bad-exit=1|--ntasks-per-node=.*"
            + "|--nodes=.*|--nodelist=.*");

    private SlurmAgents() {
    }

    /**
     * The allocation's nodes and how many ranks each takes: {@code SLURM_JOB_NODELIST} (compressed form), with the
     * slots of {@code --ntasks-per-node=K} from {@code --srun-args} when given, else {@code SLURM_TASKS_PER_NODE}
     * ({@code 2(x3),1}), else one per node.
     */
    static List<Hostfile.Host> allocation(Map<String, String> env, List<String> srunPrefix) {
        String list = firstSet(env, "SLURM_JOB_NODELIST", "SLURM_NODELIST");
        if (list == null) {
            throw new MpiException(ErrorClass.ARG, "launch agents under Slurm: SLURM_JOB_NODELIST is not set; run jmpirun "
                    + "inside salloc or an sbatch script, or use -D hostAgents=off");
        }
        List<String> nodes = HostList.expand(list);
        int perNode = perNodeOption(srunPrefix);
        List<Integer> slots = perNode > 0 ? null : tasksPerNode(firstSet(env, "SLURM_TASKS_PER_NODE"), nodes.size());
        List<Hostfile.Host> hosts = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            hosts.add(new Hostfile.Host(nodes.get(i), perNode > 0 ? perNode : slots == null ? 1 : slots.get(i)));
        }
        return hosts;
    }

    /**
     * Where each rank runs: block placement over the allocation ({@link Placement.MapBy#SLOT}), every node remote
     * (its ranks are started by its agent, also on the node jmpirun runs on). More ranks than the allocation has
     * tasks is an error, as it is for srun.
     */
    static List<Placement.Rank> place(Map<String, String> env, List<String> srunPrefix, int np) {
        return Placement.place(allocation(env, srunPrefix), np, Placement.MapBy.SLOT, false, host -> false);
    }

    /** The nodes that run at least one rank, in the order of the placement. */
    static List<String> nodes(List<Placement.Rank> ranks) {
        LinkedHashSet<String> nodes = new LinkedHashSet<>();
        for (Placement.Rank r : ranks) nodes.add(r.host());
        return List.copyOf(nodes);
    }

    /**
     * The agents' job step: the per-rank srun prefix without its per-rank options (and with the user's
     * {@code --srun-args} kept), then one task on each of {@code nodes}; then the agent's command.
     */
    static List<String> stepArgv(List<String> srunPrefix, List<String> nodes, List<String> agentCommand) {
        List<String> argv = new ArrayList<>();
        for (String w : srunPrefix) {
            if (!DROPPED.matcher(w).matches()) argv.add(w);
        }
        // --quiet: srun's informational lines (e.g. "cluster configuration lacks support for cpu binding" where there
        // is no task/affinity plugin; "Job step aborted" at the end of a stopped job) say nothing jmpirun does not;
        // its errors are still printed
        argv.addAll(List.of("--nodes=" + nodes.size(), "--ntasks=" + nodes.size(), "--ntasks-per-node=1",
                "--nodelist=" + String.join(",", nodes), "--cpu-bind=none", "--whole", "--quiet"));
        argv.addAll(agentCommand);
        return argv;
    }

    /** {@code --ntasks-per-node=K} among the srun arguments (the last one), or 0. */
    static int perNodeOption(List<String> srunPrefix) {
        int k = 0;
        for (int i = 0; i < srunPrefix.size(); i++) {
            String w = srunPrefix.get(i);
            String v = w.startsWith("--ntasks-per-node=") ? w.substring(w.indexOf('=') + 1)
                    : w.equals("--ntasks-per-node") && i + 1 < srunPrefix.size() ? srunPrefix.get(i + 1) : null;
            if (v == null) continue;
            try {
                k = Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new MpiException(ErrorClass.ARG, "--srun-args: --ntasks-per-node=" + v + " is not a number");
            }
            if (k < 1) throw new MpiException(ErrorClass.ARG, "--srun-args: --ntasks-per-node=" + v + " must be >= 1");
        }
        return k;
    }

    /** Parses {@code SLURM_TASKS_PER_NODE} ({@code 2(x3),1}); null when absent or not of {@code nodes} entries. */
    static List<Integer> tasksPerNode(String text, int nodes) {
        if (text == null || text.isBlank()) return null;
        List<Integer> out = new ArrayList<>();
        for (String part : text.trim().split(",")) {
            Matcher m = TASKS.matcher(part.trim());
            if (!m.matches()) return null;
            int n = Integer.parseInt(m.group(1));
            int times = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
            for (int i = 0; i < times && out.size() <= nodes; i++) out.add(n);
        }
        return out.size() == nodes ? out : null;
    }

    private static String firstSet(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) return v;
        }
        return null;
    }
}
