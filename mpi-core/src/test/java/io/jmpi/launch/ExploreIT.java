package io.jmpi.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code jmpirun --explore N --seed S} (issue 19): finds the planted wildcard race of {@link WildcardRace} within 100
 * runs, names a seed, and that seed replays the differing outcome; the same program without the race never differs.
 */
@Timeout(600)
class ExploreIT {
    private static InProcessJmpirun.Result explore(int runs, int seed, String... programArgs) {
        List<String> args = new java.util.ArrayList<>(List.of("-np", "3", "--timeout", "60", "--explore",
                Integer.toString(runs), "--seed", Integer.toString(seed), "-cp", System.getProperty("java.class.path"),
                WildcardRace.class.getName()));
        args.addAll(List.of(programArgs));
        return InProcessJmpirun.run(args.toArray(new String[0]));
    }

    @Test
    void findsThePlantedRaceAndItsSeedReplaysIt() {
        InProcessJmpirun.Result r = explore(100, 7);
        assertEquals(ExitCodes.RANK_FAILED, r.code(), r.out() + r.err());
        Matcher m = Pattern.compile("replay it with --explore 1 --seed (\\d+)").matcher(r.err());
        assertTrue(m.find(), r.err());
        int seed = Integer.parseInt(m.group(1));
        Matcher differing = Pattern.compile("--- run \\d+ \\(--seed " + seed + "\\): exit 0\\n(first message from rank \\d)").matcher(r.err());
        assertTrue(differing.find(), r.err());
        for (int i = 0; i < 2; i++) { // the seed replays the outcome it found
            InProcessJmpirun.Result replay = explore(1, seed);
            assertEquals(0, replay.code(), replay.err());
            assertEquals(differing.group(1), replay.out().strip(), replay.err());
        }
    }

    @Test
    void aProgramWithoutTheRaceNeverDiffers() {
        InProcessJmpirun.Result r = explore(5, 1, "fixed");
        assertEquals(ExitCodes.OK, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("5 runs (--seed 1 to 5) gave the same output and exit code"), r.err());
    }
}
