package io.jmpi.launch;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/**
 * The communication matrix as a PNG heat map: one square cell per (sender row, receiver column), white for nothing
 * and from pale yellow to dark red as the bytes grow (log scale), with a grey grid. Encoded here (IHDR, IDAT with
 * zlib, IEND) so the module needs neither java.desktop nor a chart library.
 */
final class HeatMap {
    static final int CELL_MAX = 48, IMAGE_MAX = 768;

    private HeatMap() {
    }

    static int cellSize(int n) {
        return Math.max(4, Math.min(CELL_MAX, IMAGE_MAX / Math.max(1, n)));
    }

    static byte[] png(long[][] m) {
        int n = m.length, cell = cellSize(n), side = n * cell + 1;
        long max = 0;
        for (long[] row : m) for (long v : row) max = Math.max(max, v);
        int[] rgb = new int[side * side];
        java.util.Arrays.fill(rgb, 0x808080);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int c = colour(m[i][j], max);
                for (int y = i * cell + 1; y < (i + 1) * cell; y++) {
                    for (int x = j * cell + 1; x < (j + 1) * cell; x++) rgb[y * side + x] = c;
                }
            }
        }
        return encode(rgb, side, side);
    }

    /** White for 0, else yellow (few bytes) to dark red (the most), on a log scale. */
    static int colour(long v, long max) {
        if (v <= 0 || max <= 0) return 0xffffff;
        double f = max == 1 ? 1 : Math.log1p(v) / Math.log1p(max);
        int r = (int) Math.round(255 - 100 * f);
        int g = (int) Math.round(230 * (1 - f));
        int b = (int) Math.round(120 * (1 - f));
        return (r << 16) | (g << 8) | b;
    }

    static byte[] encode(int[] rgb, int w, int h) {
        try {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            try (DeflaterOutputStream z = new DeflaterOutputStream(raw)) {
                byte[] line = new byte[1 + 3 * w];
                for (int y = 0; y < h; y++) {
                    line[0] = 0; // filter: none
                    for (int x = 0; x < w; x++) {
                        int c = rgb[y * w + x];
                        line[1 + 3 * x] = (byte) (c >> 16);
                        line[2 + 3 * x] = (byte) (c >> 8);
                        line[3 + 3 * x] = (byte) c;
                    }
                    z.write(line);
                }
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(png);
            out.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(ihdr);
            d.writeInt(w);
            d.writeInt(h);
            d.write(new byte[]{8, 2, 0, 0, 0}); // 8-bit RGB, deflate, no filter method, no interlace
            chunk(out, "IHDR", ihdr.toByteArray());
            chunk(out, "IDAT", raw.toByteArray());
            chunk(out, "IEND", new byte[0]);
            return png.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }
}
