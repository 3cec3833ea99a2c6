package io.jmpi.engine;

import io.jmpi.base.Config;
import io.jmpi.buffer.ArrayBuf;
import io.jmpi.buffer.DataType;
import io.jmpi.transport.Transport;
import io.jmpi.wire.FrameHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import static io.jmpi.wire.FrameDescriptor.EAGER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One diagnosis model: the hang diagnosis and the list of pending operations are two views of the same snapshot. */
@Timeout(10)
class DiagnosisTest {
    private final ScriptedTransport transport = new ScriptedTransport(2);
    private final Engine engine = new Engine(0, 2, new Transport[]{transport}, transport.links(), Config.of(Map.of()), 1);

    @Test
    void theDiagnosisAndThePendingListShareOneSnapshot() {
        engine.startRecv("recv", ArrayBuf.of(new byte[8], 0, 8), 1, 0, 5, RankMap.IDENTITY);
        for (int i = 0; i < Diagnosis.MAX_UNMATCHED_LINES + 3; i++) {
            engine.onFrame(1, new FrameHeader().set(EAGER, DataType.BYTE.code, (short) 0, 0, 1, 9, 4, 0, 0),
                    ByteBuffer.allocate(4));
        }
        Diagnosis d = engine.diagnosis(1000);
        List<Diagnosis.Entry> entries = d.entries();
        assertEquals(1 + Diagnosis.MAX_UNMATCHED_LINES + 3, entries.size());
        assertEquals(Diagnosis.Kind.RECEIVE, entries.get(0).kind());
        assertEquals(1, entries.get(0).peer());
        assertEquals(entries.stream().map(Diagnosis.Entry::line).toList(), engine.describePending(),
                "every pending entry, unabridged");
        List<String> lines = engine.diagnose(1000);
        // a header line (nobody blocked), the receive, the first unmatched messages and one line counting the rest
        assertEquals(1 + 1 + Diagnosis.MAX_UNMATCHED_LINES + 1, lines.size());
        assertEquals(entries.get(0).line(), lines.get(1));
    }

    @Test
    void tagsAreDescribedByTheInstalledDescriber() {
        engine.describeTagsWith(new TagDescriber() {
            @Override
            public boolean internal(int context) {
                return context == 1;
            }

            @Override
            public String describe(int context, int tag) {
                return context == 1 ? "step " + tag : TagDescriber.plain(tag);
            }
        });
        engine.startRecv("bcast", ArrayBuf.of(new byte[8], 0, 8), 1, 1, 42, RankMap.IDENTITY);
        engine.startRecv("recv", ArrayBuf.of(new byte[8], 0, 8), 1, 0, 42, RankMap.IDENTITY);
        List<Diagnosis.Entry> entries = engine.diagnosis(1000).entries();
        assertTrue(entries.get(0).text().endsWith("(step 42), up to 8 bytes"), entries.get(0).text());
        assertTrue(entries.get(1).text().endsWith("with tag 42, up to 8 bytes"), entries.get(1).text());
    }
}
