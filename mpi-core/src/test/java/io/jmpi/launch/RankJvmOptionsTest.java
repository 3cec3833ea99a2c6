package io.jmpi.launch;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** jmpirun's start-up options for rank JVMs, each left out when the user sets that option. */
class RankJvmOptionsTest {
    @Test
    void allDefaultsWithoutUserOptions() {
        assertEquals(List.of("-XX:CompileThresholdScaling=5", "-XX:-UsePerfData"), RankJvmOptions.defaults(List.of()));
        assertEquals(List.of("-XX:CompileThresholdScaling=5", "-XX:-UsePerfData"),
                RankJvmOptions.defaults(List.of("-Xmx2g", "-ea", "-DUsePerfData=x")));
    }

    @Test
    void theUsersOwnSettingWins() {
        assertEquals(List.of("-XX:-UsePerfData"), RankJvmOptions.defaults(List.of("-XX:CompileThresholdScaling=1")));
        assertEquals(List.of("-XX:CompileThresholdScaling=5"), RankJvmOptions.defaults(List.of("-XX:+UsePerfData")));
        assertEquals(List.of(), RankJvmOptions.defaults(List.of("-XX:+UsePerfData", "-XX:CompileThresholdScaling=2")));
    }

    @Test
    void onlyProcessJobsGetThem() {
        JobSpec process = spec(false);
        assertEquals(List.of("java", "-XX:CompileThresholdScaling=5", "-XX:-UsePerfData", "-Djmpi.job=1f", "-ea", "Main"),
                process.command(0x1f));
        JobSpec local = spec(true);
        assertEquals("-Djmpi.job=1f", local.command(0x1f).get(1));
    }

    private static JobSpec spec(boolean local) {
        return new JobSpec(2, "java", List.of("-ea"), null, List.of("Main"), java.util.Map.of(), local, false, 0,
                Launch.local(""), 0);
    }
}
