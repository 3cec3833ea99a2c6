import io.jmpi.trace.Recorder;
import io.jmpi.trace.TraceFormat;
import java.nio.file.*;

/** ns per recorded event: Recorder.op and Recorder.message in a loop (flushes to the event file included). */
public class RecBench {
    public static void main(String[] a) throws Exception {
        Path dir = Files.createTempDirectory("recbench"); int n = 2_000_000;
        boolean sites = a.length > 0; Recorder r = Recorder.open(dir, 0, 2, sites); if (sites) n = 200_000;
        
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if ((i & 1) == 0) r.op(TraceFormat.P2P, "send", t0, 1, 7, 0, 8, -1);
                else r.message(TraceFormat.MSG_SEND, 1, 7, 0, 8, i);
            }
            long t1 = System.nanoTime();
            System.out.printf("round %d: %.1f ns per event%n", round, (t1 - t0) / (double) n);
        }
        r.close();
        try (var s = Files.walk(dir)) { s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete()); }
    }
}
