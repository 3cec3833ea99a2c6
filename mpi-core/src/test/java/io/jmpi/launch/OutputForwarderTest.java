package io.jmpi.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class OutputForwarderTest {
    @Test
    void concurrentSourcesNeverInterleaveWithinALine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        OutputForwarder f = new OutputForwarder(new PrintStream(out, false, StandardCharsets.UTF_8),
                new PrintStream(err, false, StandardCharsets.UTF_8));
        Set<String> expected = new HashSet<>();
        List<Thread> pumps = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 2000; i++) {
                String line = "rank " + r + " line " + i + " " + "x".repeat((i * 37) % 300);
                text.append(line).append('\n');
                expected.add("[" + r + "] " + line);
            }
            text.append("unterminated tail of ").append(r);
            expected.add("[" + r + "] unterminated tail of " + r);
            pumps.add(f.pump(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)), false,
                    "[" + r + "] ", "test-" + r));
        }
        f.message("a launcher line");
        for (Thread t : pumps) t.join();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(expected.size(), lines.size());
        assertEquals(expected, new HashSet<>(lines));
        assertEquals("jmpirun: a launcher line\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void overlongLinesAreCutNotBufferedWithoutBound() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputForwarder f = new OutputForwarder(new PrintStream(out, false, StandardCharsets.UTF_8), System.err);
        byte[] big = new byte[OutputForwarder.MAX_LINE + 5];
        java.util.Arrays.fill(big, (byte) 'z');
        f.pump(new ByteArrayInputStream(big), false, null, "big").join();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size());
        assertEquals(OutputForwarder.MAX_LINE, lines.get(0).length());
        assertTrue(lines.get(1).equals("zzzzz"));
    }
}
