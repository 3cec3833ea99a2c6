package io.jmpi.launch;

import java.util.List;

/**
 * {@link JmpiRunIT}'s jobs with the ranks started by a launch agent on this machine ({@code -D hostAgents=on}, control
 * connections relayed by it): the same exit codes, messages, tagged output and nothing left behind as the direct
 * launch, so the agent path runs in CI even where the namespaced test hosts cannot (SshLaunchIT, HostAgentScaleIT).
 */
class JmpiRunAgentIT extends JmpiRunIT {
    @Override
    List<String> launcherOptions() {
        return List.of("-D", "hostAgents=on");
    }
}
