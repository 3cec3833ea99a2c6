package io.jmpi.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The command that starts one rank on another host through the launch agent ({@code ssh}). The agent runs, on the
 * remote host, {@code sh -c SCRIPT} where the script:
 * <ol>
 *   <li>reads the job secret as the first line of its standard input ({@code ssh} forwards the launcher's pipe), and
 *       exports it as {@code JMPI_SECRET}: the secret is never part of a command line, which any user of the remote
 *       host could read with {@code ps};</li>
 *   <li>changes to the launcher's working directory when it exists there (as Open MPI does);</li>
 *   <li>starts the rank's JVM in the background through a tiny {@code sh} that first prints
 *       {@value #PID_MARK}{@code <pid>} and then {@code exec}s java, so the launcher learns the JVM's own pid before
 *       any output of it;</li>
 *   <li>watches its standard input: when it ends (the launcher closed it to stop the rank, or the launcher, its
 *       {@code ssh} or the connection died) it sends SIGTERM to the JVM and, if that is still alive 2 s later,
 *       SIGKILL. This is what makes "killing ssh does not kill the remote command" untrue for jmpi's ranks;</li>
 *   <li>exits with the JVM's exit status (128 + signal when killed), which {@code ssh} passes on as its own.</li>
 * </ol>
 * The other JMPI_* variables (rank, size, job id, launcher address, settings) go as {@code env NAME=value} words of
 * the remote command: none of them is secret.
 *
 * <p>Remote hosts are Linux (or another POSIX system with {@code /proc}): the script and {@link #killArgv} read
 * {@code /proc/<pid>/cmdline}. That is by design (issue 22): the launcher itself runs anywhere Java does, local jobs
 * need no shell, and clusters reached over ssh are Linux.
 */
final class RemoteCommand {
    /** First line a remote rank prints on stdout; the launcher consumes it. */
    static final String PID_MARK = "@@jmpi-rank-pid ";
    /** Exit status of the script when it cannot read the secret (the launcher closed stdin at once). */
    static final int NO_SECRET_EXIT = 125;

    private RemoteCommand() {
    }

    /** Options given to an {@code ssh} agent unless the user's agent command sets its own keep-alives. */
    static final List<String> SSH_KEEPALIVE = List.of("-o", "ServerAliveInterval=1", "-o", "ServerAliveCountMax=2");

    static boolean isSsh(String program) {
        return program.equals("ssh") || program.endsWith("/ssh");
    }

    /**
     * {@code agent}, with {@code options} inserted after the program when it is {@code ssh} and no word of the user's
     * agent command mentions {@code key} (the user's own setting wins); other agents are left as they are.
     */
    private static List<String> withSshOptions(List<String> agent, String key, List<String> options) {
        List<String> argv = new ArrayList<>(agent);
        if (!agent.isEmpty() && isSsh(agent.get(0)) && agent.stream().noneMatch(w -> w.contains(key))) {
            argv.addAll(1, options);
        }
        return argv;
    }

    /**
     * The argv of the local agent process: {@code agent... host 'sh -c SCRIPT'}.
     *
     * @param env     variables for the rank, none of them secret
     * @param command the rank's java command line
     */
    static List<String> argv(List<String> agent, String host, String cwd, Map<String, String> env, List<String> command,
                             String segmentPrefix) {
        // a host that vanishes (power, network) sends no reset: ssh's keep-alives notice it within ~3 s, ssh exits
        // with 255, and the launcher ends the job naming the host's ranks
        List<String> argv = withSshOptions(agent, "ServerAlive", SSH_KEEPALIVE);
        argv.add(host);
        argv.add("sh -c " + quote(script(cwd, env, command, segmentPrefix)));
        return argv;
    }

    /**
     * The remote script (see the class comment).
     *
     * @param segmentPrefix path prefix of the job's shared-memory segments on that host, removed when the rank failed
     *                      (a rank that dies during start-up leaves them behind); null for none
     */
    static String script(String cwd, Map<String, String> env, List<String> command, String segmentPrefix) {
        StringBuilder rank = new StringBuilder("sh -c ").append(quote("echo \"" + PID_MARK + "$$\"; exec \"$@\""))
                .append(" jmpi-rank env");
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            rank.append(' ').append(quote(e.getKey() + "=" + e.getValue()));
        }
        for (String word : command) rank.append(' ').append(quote(word));
        return String.join("\n",
                "IFS= read -r JMPI_SECRET || exit " + NO_SECRET_EXIT,
                "export JMPI_SECRET",
                // the second line: the TLS keystore password, empty when there is none (a secret too: not an argument)
                "IFS= read -r JMPI_TLS_PASSWORD || exit " + NO_SECRET_EXIT,
                "if [ -n \"$JMPI_TLS_PASSWORD\" ]; then export JMPI_TLS_PASSWORD; else unset JMPI_TLS_PASSWORD; fi",
                cwd == null ? ":" : "cd " + quote(cwd) + " 2>/dev/null || :",
                "exec 3<&0",
                rank + " </dev/null 3<&- &",
                "pid=$!",
                "( while IFS= read -r line <&3; do :; done",
                "  kill -TERM $pid 2>/dev/null",
                "  i=0; while [ $i -lt 20 ] && kill -0 $pid 2>/dev/null; do sleep 0.1; i=$((i+1)); done",
                "  kill -KILL $pid 2>/dev/null ) </dev/null >/dev/null 2>&1 &",
                "watch=$!",
                "exec 3<&-",
                "wait $pid",
                "code=$?",
                "kill $watch 2>/dev/null",
                segmentPrefix == null ? ":" : "[ $code -eq 0 ] || rm -f " + quote(segmentPrefix) + "* 2>/dev/null",
                "exit $code");
    }

    /**
     * The argv that starts a host's launch agent ({@link HostAgent}) over one ssh session: {@code agent... host
     * 'sh -c SCRIPT'}, the script changing to {@code cwd} when it exists there and exec'ing {@code command}, which
     * reads the secrets from the stdin ssh forwards and watches its end.
     */
    static List<String> agentArgv(List<String> agent, String host, String cwd, List<String> command) {
        List<String> argv = withSshOptions(agent, "ServerAlive", SSH_KEEPALIVE);
        argv.add(host);
        StringBuilder exec = new StringBuilder("exec");
        for (String word : command) exec.append(' ').append(quote(word));
        argv.add("sh -c " + quote(String.join("\n", cwd == null ? ":" : "cd " + quote(cwd) + " 2>/dev/null || :",
                exec.toString())));
        return argv;
    }

    /** The command that kills a remote rank by pid, only if that pid is still this job's JVM (pids are reused). */
    static List<String> killArgv(List<String> agent, String host, long pid, String jobProperty) {
        // a backstop to a host that has vanished must not stall the launcher's exit
        List<String> argv = withSshOptions(agent, "ConnectTimeout", List.of("-o", "ConnectTimeout=2"));
        argv.add(host);
        String script = "p=" + pid + "; if tr '\\000' '\\n' </proc/$p/cmdline 2>/dev/null | grep -qxF -- "
                + quote(jobProperty) + "; then kill -KILL $p; fi";
        argv.add("sh -c " + quote(script));
        return argv;
    }

    /** One word for a POSIX shell: single-quoted, with embedded single quotes as {@code '\''}. */
    static String quote(String s) {
        if (!s.isEmpty() && s.matches("[A-Za-z0-9_./:=,@%+-]+")) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
