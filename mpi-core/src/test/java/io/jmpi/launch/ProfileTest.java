package io.jmpi.launch;

import io.jmpi.trace.Recorder;
import io.jmpi.trace.TraceFile;
import io.jmpi.trace.TraceFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.InflaterInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The profile and timeline writers of jmpirun (issue 19) on a trace folder made by two recorders. */
class ProfileTest {
    @Test
    void countsTimesBytesAndMatrixComeFromTheRecords(@TempDir Path dir) throws Exception {
        for (int rank = 0; rank < 2; rank++) {
            Recorder r = Recorder.open(dir, rank, 2, false);
            for (int i = 0; i < 3; i++) {
                long t0 = r.now();
                r.message(TraceFormat.MSG_SEND, 1 - rank, 5, 0, 100, i);
                r.op(TraceFormat.P2P, "send", t0, 1 - rank, 5, 0, 100, -1);
                r.message(TraceFormat.MSG_RECV, 1 - rank, 5, 0, 100, i);
                r.op(TraceFormat.P2P, "recv", r.now(), 1 - rank, 5, 0, 100, i);
            }
            r.beginCollective("allreduce", -1, 1, 4, 32, "DOUBLE", "SUM");
            r.enterCollective();
            r.endCollective();
            r.close();
        }
        TraceFile t = TraceFile.read(dir);
        Profile p = Profile.of(t);
        assertEquals(6, p.rows.size(), p.rows.toString()); // allreduce, recv, send on each rank
        for (Profile.Row row : p.rows) {
            long expected = row.op().equals("allreduce") ? 1 : 3;
            assertEquals(expected, row.count(), row.toString());
            assertEquals(expected == 1 ? 32 : 300, row.bytes(), row.toString());
            assertTrue(row.nanos() >= 0);
        }
        assertArrayEquals(new long[]{0, 3}, p.messages[0]);
        assertArrayEquals(new long[]{300, 0}, p.bytes[1]);
        for (int r = 0; r < 2; r++) assertTrue(p.mpiNanos[r] <= p.appNanos[r], "MPI time within the rank's life");

        Path out = dir.resolve("out");
        p.writeFiles(out);
        assertEquals(List.of("from\\to,0,1", "0,0,3", "1,3,0"), Files.readAllLines(out.resolve("profile-matrix-messages.csv")));
        Rgb img = Rgb.decode(Files.readAllBytes(out.resolve("profile-matrix.png")));
        int cell = HeatMap.cellSize(2);
        assertEquals(2 * cell + 1, img.width);
        assertEquals(0xffffff, img.rgb(cell / 2, cell / 2), "nothing 0 -> 0: white");
        assertNotEquals(0xffffff, img.rgb(cell * 3 / 2, cell / 2), "0 -> 1: coloured");

        Path json = dir.resolve("t.json");
        ChromeTrace.write(t, json);
        String j = Files.readString(json);
        assertEquals(6, j.split("\"ph\":\"s\"", -1).length - 1, "a flow start per message");
        assertEquals(6, j.split("\"ph\":\"f\"", -1).length - 1, "a flow end per message");
        assertTrue(j.contains("\"op\":\"SUM\"") && j.contains("\"datatype\":\"DOUBLE\""), j);
        TimelineHtml.write(t, Reports.htmlFile(json));
        String html = Files.readString(dir.resolve("t.html"));
        assertTrue(html.contains("<svg") && !html.contains("src=") && !html.contains("href="), "self-contained: nothing fetched");
    }

    @Test
    void pngEncoderWritesWhatImageIoReads() throws Exception {
        byte[] png = HeatMap.encode(new int[]{0xff0000, 0x00ff00, 0x0000ff, 0xffffff}, 2, 2);
        Rgb img = Rgb.decode(png);
        assertEquals(0xff0000, img.rgb(0, 0));
        assertEquals(0x0000ff, img.rgb(0, 1));
    }

    /** Reads back the PNGs HeatMap writes (8-bit RGB, filter 0, one IDAT): signature, IHDR, pixels. */
    record Rgb(int width, int height, byte[] pixels) {
        static Rgb decode(byte[] png) throws Exception {
            ByteBuffer b = ByteBuffer.wrap(png);
            assertEquals(0x89504e470d0a1a0aL, b.getLong(), "PNG signature");
            int w = 0, h = 0;
            ByteArrayOutputStream idat = new ByteArrayOutputStream();
            while (b.hasRemaining()) {
                int len = b.getInt();
                byte[] type = new byte[4];
                b.get(type);
                byte[] data = new byte[len];
                b.get(data);
                b.getInt(); // crc
                String t = new String(type, java.nio.charset.StandardCharsets.US_ASCII);
                if (t.equals("IHDR")) {
                    w = ByteBuffer.wrap(data).getInt();
                    h = ByteBuffer.wrap(data).getInt(4);
                } else if (t.equals("IDAT")) {
                    idat.write(data);
                }
            }
            byte[] raw = new InflaterInputStream(new java.io.ByteArrayInputStream(idat.toByteArray())).readAllBytes();
            assertEquals(h * (1 + 3 * w), raw.length);
            return new Rgb(w, h, raw);
        }

        int rgb(int x, int y) {
            int p = y * (1 + 3 * width) + 1 + 3 * x;
            return ((pixels[p] & 0xff) << 16) | ((pixels[p + 1] & 0xff) << 8) | (pixels[p + 2] & 0xff);
        }
    }
}
