package io.jmpi.mpj;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jmpirun --backend mpj} end to end: the examples give their verified answers, the program's arguments
 * arrive unchanged, and a rank that fails (exception, System.exit, abort, SIGKILL) ends the job with a message
 * naming it and a non-zero exit code, leaving no daemon, JVM or job directory behind: MPJ Express's own mpjrun
 * exits 0 in all these cases, and in niodev mode hangs.
 */
class MpjLaunchIT {
    private static final String APP = "io.jmpi.mpj.testapps.FailApp";

    @BeforeAll
    static void mpjInstalled() {
        MpjJobs.assumeMpj();
    }

    @ParameterizedTest
    @ValueSource(strings = {"multicore", "niodev"})
    void ringExampleIsVerified(String device) {
        MpjJobs.Result r = MpjJobs.jmpirun("--backend", "mpj", "--mpj-dev", device, "-np", "4", "--timeout", "300",
                "--example", "ring", "200");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("ring: token=800 after 200 laps"), r.out());
        assertTrue(r.out().contains("ring ranks=4 size=200 laps") && r.out().contains("verified: yes"), r.out());
        assertTrue(!r.all().contains("Starting process <") && !r.all().contains("MPJ Express (0.44) is started"),
                "MPJ Express's chatter is not filtered:\n" + r.all());
    }

    @ParameterizedTest
    @ValueSource(strings = {"multicore", "niodev"})
    void programArgumentsArriveUnchanged(String device) {
        // mpjrun takes its own options from anywhere in its command line: these must reach the program anyway
        List<String> tricky = List.of("-np", "7", "a b", "-cp", "x:y", "--dev=niodev", "-dev", "\u00fc\u20ac", "*", "$HOME", "");
        List<String> args = new ArrayList<>(List.of("--backend", "mpj", "--mpj-dev", device, "-np", "2", "--timeout", "120",
                "-cp", MpjJobs.testClassPath(), APP, "ok", "0", "0"));
        args.addAll(tricky);
        MpjJobs.Result r = MpjJobs.jmpirun(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.all());
        String expect = "args=ok|0|0|" + String.join("|", tricky);
        assertEquals(2, r.out().lines().filter(l -> l.endsWith(expect)).count(),
                "expected '" + expect + "' from both ranks:\n" + r.out());
        assertEquals(List.of(), MpjJobs.leftovers(r.jobHex()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "multicore, throw, 1, 1, rank 1 failed: java.lang.IllegalStateException: boom in rank 1",
            "niodev,    throw, 1, 1, rank 1 failed: java.lang.IllegalStateException: boom in rank 1",
            "multicore, exit,  2, 1, rank 2 failed: exited (System.exit) without closing jmpi",
            "niodev,    exit,  2, 3, rank 2 failed: exited (System.exit) without closing jmpi",
            "multicore, abort, 0, 7, rank 0 called abort with code 7",
            "niodev,    abort, 0, 7, rank 0 called abort with code 7",
            "multicore, kill,  1, 137, exited with code 137 (killed by signal 9?)",
            "niodev,    kill,  1, 137, rank 1 failed: it exited with code 137 (killed by signal 9?)",
    })
    void aFailedRankEndsTheJob(String device, String mode, int rank, int code, String message) {
        String codeArg = mode.equals("abort") ? "7" : "3";
        MpjJobs.Result r = MpjJobs.jmpirun("--backend", "mpj", "--mpj-dev", device, "-np", "3", "--timeout", "120",
                "-cp", MpjJobs.testClassPath(), APP, mode, Integer.toString(rank), codeArg);
        assertEquals(code, r.code(), r.all());
        assertTrue(r.err().contains("jmpirun: ") && r.err().contains(message), "expected '" + message + "' in:\n" + r.err());
        assertTrue(r.seconds() < 60, "took " + r.seconds() + " s");
        String hex = r.jobHex();
        assertNotNull(hex, r.out());
        assertEquals(List.of(), MpjJobs.leftovers(hex), "left behind");
    }

    @Test
    void timeoutStopsAHungJob() {
        // every rank but 1 waits for rank 1, which waits for a message that never comes: a hang, ended by --timeout
        MpjJobs.Result r = MpjJobs.jmpirun("--backend", "mpj", "--mpj-dev", "niodev", "-np", "2", "--timeout", "8",
                "-cp", MpjJobs.testClassPath(), APP, "hang", "1");
        assertEquals(124, r.code(), r.all());
        assertTrue(r.err().contains("job exceeded --timeout 8 s"), r.err());
        assertEquals(List.of(), MpjJobs.leftovers(r.jobHex()), "left behind");
    }
}
