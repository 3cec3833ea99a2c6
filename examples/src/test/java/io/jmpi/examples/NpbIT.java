package io.jmpi.examples;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NPB kernels as real jobs: class S on 1, 3 and 4 ranks, class W on 4 ranks, class A on 2 ranks (about 10 s of
 * kernel time on this 2-core machine; {@code -Djmpi.examples.npbClassA=false} skips it). Each must print NPB's
 * {@code Verification = SUCCESSFUL}, a positive {@code Mop/s total}, the summary line with {@code verified: yes},
 * and exit 0.
 */
@Timeout(600)
class NpbIT {
    private static final ExampleJobs jobs = new ExampleJobs();

    @AfterEach
    void cleanUp() {
        jobs.killAll(); // only does something when a test failed half-way
    }

    @AfterAll
    static void nothingLeft() {
        jobs.assertNothingLeft();
    }

    private static void assertSuccessful(String kernel, char cls, int ranks) {
        ExampleJobs.Job job = jobs.run(ranks, "npb-" + kernel, "--class=" + cls).assertVerified();
        String out = job.out();
        assertTrue(out.contains("\n Verification    =               SUCCESSFUL\n"), job.toString());
        assertTrue(out.contains("\n Verification: SUCCESSFUL"), job.toString());
        assertTrue(out.contains("\n Class           =                        " + cls + "\n"), job.toString());
        Matcher mops = Pattern.compile("\n Mop/s total     =\\s+([0-9.]+)\n").matcher(out);
        assertTrue(mops.find() && Double.parseDouble(mops.group(1)) > 0, job.toString());
        assertEquals("class " + cls, job.summary().replaceAll(".* size=(class .) .*", "$1"));
    }

    @ParameterizedTest
    @CsvSource({"ep,1", "ep,3", "ep,4", "is,1", "is,3", "is,4", "cg,1", "cg,3", "cg,4"})
    void classS(String kernel, int ranks) {
        assertSuccessful(kernel, 'S', ranks);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ep", "is", "cg"})
    void classW(String kernel) {
        assertSuccessful(kernel, 'W', 4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ep", "is", "cg"})
    void classA(String kernel) {
        Assumptions.assumeFalse("false".equals(System.getProperty("jmpi.examples.npbClassA")), "class A skipped (-Djmpi.examples.npbClassA=false)");
        assertSuccessful(kernel, 'A', 2);
    }
}
