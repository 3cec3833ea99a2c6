package io.jmpi.transport.shm;

import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.transport.TransportContext;
import io.jmpi.wire.HandshakeDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Foreign, corrupted or wrong-version segments are refused with a clear error, never a hang or a crash. */
@Timeout(30)
class ShmSegmentValidationTest {
    @TempDir
    Path dir;
    private ShmTransport transport;

    private TransportContext ctx(long job, int rank) {
        Config c = Config.of(Map.of("JMPI_SHM_DIR", dir.toString(), "JMPI_CONNECT_TIMEOUT", "2",
                "JMPI_SHM_RING_SIZE", "65536"));
        return new TransportContext(rank, 2, job, HandshakeDescriptor.newSecret(), InetAddress.getLoopbackAddress(), c);
    }

    @AfterEach
    void close() {
        if (transport != null) transport.close();
    }

    private MpiException attachTo(long job, java.util.function.Consumer<RandomAccessFile> corrupt) throws Exception {
        // rank 1 of another "job" or a corrupted one creates its segment; rank 0 of our job attaches to it
        ShmTransport other = new ShmTransport();
        other.listen(ctx(job, 1));
        Path seg = ShmTransport.segmentPath(dir, job, 1);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            corrupt.accept(f);
        }
        long ours = 77;
        if (job != ours) Files.move(seg, ShmTransport.segmentPath(dir, ours, 1));
        transport = new ShmTransport();
        transport.listen(ctx(ours, 0));
        MpiException e = assertThrows(MpiException.class, () -> transport.connect(null, new int[]{1}));
        other.close();
        return e;
    }

    @Test
    void segmentOfAnotherJobIsRejected() throws Exception {
        MpiException e = attachTo(99, f -> { });
        assertEquals(ErrorClass.PROTOCOL, e.errorClass());
        assertTrue(e.getMessage().contains("segment belongs to job 63, not to this job 4d"), e.getMessage());
    }

    @Test
    void garbageIsNotASegment() throws Exception {
        MpiException e = attachTo(77, f -> {
            try {
                f.seek(0);
                f.write("garbage!garbage!".getBytes());
            } catch (Exception x) {
                throw new RuntimeException(x);
            }
        });
        assertTrue(e.getMessage().contains("not a jmpi segment (magic 0x"), e.getMessage());
    }

    @Test
    void wrongVersionIsNamed() throws Exception {
        MpiException e = attachTo(77, f -> {
            try {
                f.seek(ShmSegmentDescriptor.VERSION_OFFSET);
                f.write(new byte[]{9, 0, 0, 0});
            } catch (Exception x) {
                throw new RuntimeException(x);
            }
        });
        assertTrue(e.getMessage().contains("segment version 9, this rank speaks " + ShmSegmentDescriptor.VERSION), e.getMessage());
    }

    @Test
    void truncatedSegmentIsRejected() throws Exception {
        MpiException e = attachTo(77, f -> {
            try {
                f.setLength(100);
            } catch (Exception x) {
                throw new RuntimeException(x);
            }
        });
        assertTrue(e.getMessage().contains("size 100 is smaller than a segment header"), e.getMessage());
    }
}
