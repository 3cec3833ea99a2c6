package io.jmpi.mpj;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jmpi's point-to-point and collective conformance suites ({@code P2pConformance}, {@code CollConformance}, from
 * mpi-core's tests) over the MPJ Express backend: real jobs started by {@code jmpirun --backend mpj}, in MPJ
 * Express's multicore and niodev modes, on 1 to 4 ranks. Every rank runs the suites' own cases for its world size
 * ({@code io.jmpi.MpjConformanceMain}); a failed check fails the job, naming the rank and the case. The feature and
 * derived-datatype suites ({@code FeatureConformance}, {@code DatatypeConformance}) run at one odd and one even
 * size, one per device, to keep the IT short.
 */
class MpjConformanceIT {
    @BeforeAll
    static void mpjInstalled() {
        MpjJobs.assumeMpj();
    }

    @ParameterizedTest(name = "{0} np={1}")
    @CsvSource({"multicore, 1", "multicore, 2", "multicore, 3", "multicore, 4",
                "niodev, 1", "niodev, 2", "niodev, 3", "niodev, 4"})
    void suitesPass(String device, int np) {
        MpjJobs.Result r = MpjJobs.jmpirun("--backend", "mpj", "--mpj-dev", device, "-np", Integer.toString(np),
                "--timeout", "600", "-cp", MpjJobs.testClassPath(), "io.jmpi.MpjConformanceMain", "p2p", "coll");
        assertEquals(0, r.code(), "jmpirun exit code; output:\n" + r.all());
        Matcher m = Pattern.compile("conformance: (\\d+) cases passed on (\\d+) ranks(.*)").matcher(r.out());
        assertTrue(m.find(), "no summary line; output:\n" + r.all());
        assertEquals(np, Integer.parseInt(m.group(2)));
        assertTrue(Integer.parseInt(m.group(1)) >= 3, "too few cases ran: " + m.group());
        assertFalse(m.group(3).contains("skipped"), "cases skipped: " + m.group());
        assertTrue(r.out().contains("ok coll:"), "no collective case ran:\n" + r.out());
        assertTrue(r.out().contains("ok p2p:"), "no point-to-point case ran:\n" + r.out());
    }

    @ParameterizedTest(name = "{0} np={1}")
    @CsvSource({"multicore, 3", "niodev, 4"})
    void featureAndDatatypeSuitesPass(String device, int np) {
        MpjJobs.Result r = MpjJobs.jmpirun("--backend", "mpj", "--mpj-dev", device, "-np", Integer.toString(np),
                "--timeout", "600", "-cp", MpjJobs.testClassPath(), "io.jmpi.MpjConformanceMain", "feat", "dtype");
        assertEquals(0, r.code(), "jmpirun exit code; output:\n" + r.all());
        Matcher m = Pattern.compile("conformance: (\\d+) cases passed on (\\d+) ranks(.*)").matcher(r.out());
        assertTrue(m.find(), "no summary line; output:\n" + r.all());
        assertEquals(np, Integer.parseInt(m.group(2)));
        assertTrue(Integer.parseInt(m.group(1)) >= 10, "too few cases ran: " + m.group());
        assertFalse(m.group(3).contains("skipped"), "cases skipped: " + m.group());
        for (String c : new String[]{"feat:persistentRingRestartedFiftyTimes",
                "feat:intercommOfHalvesAllreducesOtherSumAndMerges", "feat:neighborAlltoallOnPeriodic2dGrid", "dtype:"}) {
            assertTrue(r.out().contains("ok " + c), "case " + c + " did not run:\n" + r.out());
        }
    }
}
