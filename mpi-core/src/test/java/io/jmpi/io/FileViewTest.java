package io.jmpi.io;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** View flattening, segment lists, file domains and access modes: the pure logic under MpiFile. */
class FileViewTest {
    @Test
    void contiguousViewIsOneSegment() {
        Segments s = new Segments();
        new FileView(100, 8, new long[]{0}, new long[]{8}, 8, "DOUBLE", "DOUBLE").map(16, 800, s);
        assertEquals(1, s.count());
        assertEquals(116, s.offset(0));
        assertEquals(800, s.length(0));
    }

    @Test
    void vectorViewTilesRunsAndSplitsMidRun() {
        // 2 runs of 4 bytes in a 16-byte tile: data bytes 0-3 at 0, 4-7 at 8, then the next tile at 16
        FileView v = new FileView(10, 2, new long[]{0, 8}, new long[]{4, 4}, 16, "SHORT", "V");
        Segments s = new Segments();
        v.map(2, 12, s);
        assertEquals("[12+2, 18+4, 26+4, 34+2]", s.toString());
        assertEquals(12, s.bytes());
        assertEquals(0, s.streamPos(0));
        assertEquals(2, s.streamPos(1));
        assertEquals(28, v.byteOffset(10));
        assertEquals(10, v.dataBelow(10 + 16 + 2));
        assertEquals(6, v.dataBelow(10 + 8 + 2));
    }

    @Test
    void clipAtEndOfFileKeepsThePrefix() {
        FileView v = new FileView(0, 1, new long[]{0, 8}, new long[]{4, 4}, 16, "BYTE", "V");
        Segments s = new Segments();
        v.map(0, 16, s);  // 0+4, 8+4, 16+4, 24+4
        assertEquals(10, s.clipAt(18));
        assertEquals("[0+4, 8+4, 16+2]", s.toString());
        assertEquals(7, s.bytesIn(2, 17));
        assertEquals(0, new Segments().clipAt(5));
    }

    @Test
    void piecesInAWindowCarryStreamPositions() {
        Segments s = new Segments();
        s.add(0, 10);
        s.add(20, 10);
        s.add(30, 5);  // merges with the previous
        assertEquals(2, s.count());
        StringBuilder b = new StringBuilder();
        assertEquals(9, s.forEachIn(5, 24, (off, len, pos) -> b.append(off).append('+').append(len).append('@').append(pos).append(' ')));
        assertEquals("5+5@5 20+4@10 ", b.toString());
        assertArrayEquals(new long[]{5, 5, 20, 4}, s.pairsIn(5, 24));
        assertEquals("[5+5, 20+4]", Segments.ofPairs(s.pairsIn(5, 24), 0, 2).toString());
    }

    @Test
    void badFiletypesAreRejectedWithTheirNumbers() {
        MpiException e = assertThrows(MpiException.class, () -> new FileView(0, 8, new long[]{8, 0}, new long[]{8, 8}, 16, "DOUBLE", "T"));
        assertEquals(ErrorClass.TYPE, e.errorClass());
        assertTrue(e.getMessage().contains("run at byte 0"), e.getMessage());
        assertEquals(ErrorClass.TYPE, assertThrows(MpiException.class,
                () -> new FileView(0, 8, new long[]{0}, new long[]{12}, 16, "DOUBLE", "T")).errorClass());
        assertEquals(ErrorClass.ARG, assertThrows(MpiException.class,
                () -> new FileView(-1, 1, new long[]{0}, new long[]{1}, 1, "BYTE", "BYTE")).errorClass());
        assertEquals(ErrorClass.TYPE, assertThrows(MpiException.class,
                () -> new FileView(0, 1, new long[]{0}, new long[]{8}, 4, "BYTE", "T")).errorClass());
    }

    @Test
    void domainsCoverTheRegionInAlignedRounds() {
        FileDomains d = new FileDomains(100, 100 + 10_000_000, new int[]{0, 2}, 1 << 20, 1 << 20);
        assertEquals(100, d.domainLo(0));
        assertEquals(d.domainHi(0), d.domainLo(1));
        assertEquals(100 + 10_000_000, d.domainHi(1));
        assertEquals(0, (d.domainHi(0) - 100) % (1 << 20));
        assertEquals(5, d.rounds());
        assertEquals(d.domainHi(1), d.windowHi(1, 4));
        FileDomains small = new FileDomains(0, 10, new int[]{1, 3, 5}, 4, 1 << 20);
        assertEquals(4, small.domainHi(0));
        assertEquals(8, small.domainHi(1));
        assertEquals(10, small.domainHi(2));
        assertEquals(1, small.rounds());
    }

    @Test
    void aggregatorsSpreadOverHostsFirst() {
        String[] hosts = {"a", "a", "b", "b", "c"};
        assertArrayEquals(new int[]{0, 2, 4}, FileDomains.chooseAggregators(hosts, 3));
        assertArrayEquals(new int[]{0, 1, 2, 4}, FileDomains.chooseAggregators(hosts, 4));
        assertArrayEquals(new int[]{0}, FileDomains.chooseAggregators(hosts, 0));
        assertEquals(3, FileDomains.hosts(hosts));
    }

    @Test
    void interleavingIgnoresEmptyRegions() {
        assertFalse(FileDomains.interleaved(new long[]{0, 10, 0}, new long[]{10, 20, 0}));
        assertTrue(FileDomains.interleaved(new long[]{0, 5}, new long[]{10, 20}));
        assertTrue(FileDomains.interleaved(new long[]{0, 30, 5}, new long[]{100, 40, 6}));
    }

    @Test
    void accessModeRules() {
        AccessMode.check("t", AccessMode.RDWR | AccessMode.CREATE);
        for (int bad : new int[]{0, AccessMode.RDONLY | AccessMode.RDWR, AccessMode.RDONLY | AccessMode.CREATE,
                AccessMode.RDONLY | AccessMode.EXCL, AccessMode.RDWR | AccessMode.SEQUENTIAL, 1024 | AccessMode.RDWR}) {
            MpiException e = assertThrows(MpiException.class, () -> AccessMode.check("open", bad));
            assertEquals(ErrorClass.AMODE, e.errorClass(), AccessMode.describe(bad));
        }
        assertEquals("MODE_CREATE|MODE_WRONLY", AccessMode.describe(5));
    }

    @Test
    void hintsTakeValidValuesOnly() {
        Hints h = new Hints(2).apply(java.util.Map.of("cb_nodes", "3", "cb_buffer_size", "x", "romio_cb_write", "enable"), 8);
        assertEquals(3, h.cbNodes());
        assertEquals(Hints.DEFAULT_BUFFER, h.cbBufferSize());
        assertEquals(Hints.Mode.ENABLE, h.cbWrite());
        assertEquals(Hints.Mode.AUTOMATIC, h.cbRead());
        assertEquals("3", h.toMap().get("cb_nodes"));
    }
}
