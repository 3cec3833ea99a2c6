package io.jmpi.launch;

import java.util.Arrays;
import java.util.List;

/**
 * A node's launch agent as a task of the agents' Slurm step ({@link SlurmAgents}): finds its index (the position of its
 * node, {@code SLURMD_NODENAME}, in the node list it is given, so the order in which Slurm numbers the tasks does not
 * matter), takes the job secret and the TLS keystore password from its environment (srun passes jmpirun's
 * environment; they are never arguments) and runs as {@link HostAgent}. Its stdin is not watched (srun gives it
 * /dev/null): the end of its connection to jmpirun, or the end of the step, stops it.
 *
 * <p>usage: {@code java -cp <jmpi> io.jmpi.launch.SlurmAgent LAUNCHER_HOST PORT NODE,NODE,... JOB_ID_HEX GRACE_MS
 * SHM_DIR PORTABLE}
 */
public final class SlurmAgent {
    /** The variables of jmpirun's environment that carry the secret and the TLS keystore password to the agents. */
    static final String SECRET = "JMPI_AGENT_SECRET";
    static final String TLS_PASSWORD = "JMPI_AGENT_TLS_PASSWORD";

    private SlurmAgent() {
    }

    public static void main(String[] args) {
        if (args.length != 7) {
            System.err.println("usage: SlurmAgent LAUNCHER_HOST PORT NODE,NODE,... JOB_ID_HEX GRACE_MS SHM_DIR PORTABLE");
            System.exit(HostAgent.USAGE_EXIT);
        }
        String node = System.getenv("SLURMD_NODENAME");
        if (node == null || node.isBlank()) node = Placement.ownHostname();
        int index = index(Arrays.asList(args[2].split(",")), node);
        if (index < 0) {
            System.err.println("jmpi launch agent: node " + node + " is not one of the step's nodes " + args[2]);
            System.exit(HostAgent.USAGE_EXIT);
        }
        String secret = System.getenv(SECRET);
        if (secret == null || secret.isEmpty()) System.exit(RemoteCommand.NO_SECRET_EXIT);
        String tls = System.getenv(TLS_PASSWORD);
        String[] agentArgs = args.clone();
        agentArgs[2] = Integer.toString(index);
        HostAgent.run(agentArgs, secret, tls == null ? "" : tls, null);
    }

    /** The position of {@code node} in {@code nodes} (also when one is the short name of the other), or -1. */
    static int index(List<String> nodes, String node) {
        int i = nodes.indexOf(node);
        if (i >= 0) return i;
        String shortName = node.contains(".") ? node.substring(0, node.indexOf('.')) : node;
        for (int k = 0; k < nodes.size(); k++) {
            String n = nodes.get(k);
            if (n.equals(shortName) || (n.contains(".") && n.substring(0, n.indexOf('.')).equals(shortName))) return k;
        }
        return -1;
    }
}
