package io.jmpi;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** MPI operations as JDK Flight Recorder events ({@code io.jmpi.Operation}, setting {@code jfr=auto}; issue 19). */
@Timeout(120)
class JfrEventsTest {
    @Test
    void operationsAreFlightRecorderEventsWhileARecordingRuns(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mpi.jfr");
        try (Recording rec = new Recording()) {
            rec.enable("io.jmpi.Operation");
            rec.start();
            Jobs.run("tcp", 2, Map.of("JMPI_COLL_SHM", "off"), mpi -> {
                Comm w = mpi.world();
                int[] x = new int[3];
                for (int i = 0; i < 4; i++) {
                    if (w.rank() == 0) w.send(x, 1, 2);
                    else w.recv(x, 0, 2);
                }
                double[] d = {1};
                w.allreduce(d, Op.SUM);
            });
            rec.stop();
            rec.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Map<String, Integer> counts = new HashMap<>();
        for (RecordedEvent e : events) {
            if (!e.getEventType().getName().equals("io.jmpi.Operation")) continue;
            counts.merge(e.getString("operation") + "@" + e.getInt("rank"), 1, Integer::sum);
            if (e.getString("operation").equals("send")) {
                assertEquals(1, e.getInt("peer"));
                assertEquals(12, e.getLong("bytes"));
            }
            if (e.getString("operation").equals("allreduce")) assertEquals("SUM", e.getString("op"));
        }
        assertEquals(4, counts.get("send@0"), counts.toString());
        assertEquals(4, counts.get("recv@1"), counts.toString());
        assertEquals(1, counts.get("allreduce@0"), counts.toString());
        assertEquals(1, counts.get("allreduce@1"), counts.toString());
    }

    @Test
    void withoutARecordingNothingIsRecorded() {
        Jobs.run("tcp", 2, Map.of(), mpi -> assertNull(mpi.world().trace, "no recorder: the hooks are one null check"));
    }
}
