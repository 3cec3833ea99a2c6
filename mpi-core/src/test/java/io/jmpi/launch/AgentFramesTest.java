package io.jmpi.launch;

import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The launch agent's frames, and the multiplexed output they carry turned back into whole tagged lines. */
@Timeout(10)
class AgentFramesTest {
    @Test
    void framesAndStartWordsRoundTrip() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        List<String> words = List.of("/work", "1", "JMPI_RANK=3", "java", "-cp", "a b:ü", "");
        AgentFrames.write(out, AgentFrames.START, 3, AgentFrames.strings(words));
        AgentFrames.write(out, AgentFrames.PID, 3, AgentFrames.ofLong(1L << 40));
        AgentFrames.write(out, AgentFrames.EXIT, 3, AgentFrames.ofInt(137));
        AgentFrames.write(out, AgentFrames.STOP, -1, AgentFrames.ofLong(2000));
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(b.toByteArray()));
        AgentFrames.Frame f = AgentFrames.read(in);
        assertEquals(AgentFrames.START, f.type());
        assertEquals(3, f.rank());
        assertEquals(words, AgentFrames.strings(f.payload()));
        assertEquals(1L << 40, AgentFrames.read(in).longValue());
        assertEquals(137, AgentFrames.read(in).intValue());
        f = AgentFrames.read(in);
        assertEquals(-1, f.rank());
        assertEquals(2000, f.longValue());
        assertNull(AgentFrames.read(in));
    }

    @Test
    void aFrameLongerThanAllowedIsRefused() {
        byte[] bad = {AgentFrames.OUT, 0, 0, 0, 1, 0x7f, 0, 0, 0};
        MpiException e = assertThrows(MpiException.class,
                () -> AgentFrames.read(new DataInputStream(new ByteArrayInputStream(bad))));
        assertEquals(io.jmpi.base.ErrorClass.PROTOCOL, e.errorClass());
    }

    @Test
    void chunksOfTwoRanksInterleavedMidLineComeOutAsWholeTaggedLines() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputForwarder f = new OutputForwarder(new PrintStream(out, false, StandardCharsets.UTF_8), System.err);
        OutputForwarder.Lines r0 = f.lines(false, "[0] ");
        OutputForwarder.Lines r1 = f.lines(false, "[1] ");
        feed(r0, "hel");
        feed(r1, "wor");
        feed(r0, "lo\nsec");
        feed(r1, "ld\n");
        feed(r0, "ond");
        r0.end();
        r1.end();
        assertArrayEquals(new String[] {"[0] hello", "[1] world", "[0] second"},
                out.toString(StandardCharsets.UTF_8).split("\n"));
    }

    private static void feed(OutputForwarder.Lines l, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        l.feed(b, b.length);
    }
}
