package io.jmpi.bootstrap;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PMI-1 wire client: against scripted answers, and against the in-process fake server. */
@Timeout(20)
class PmiClientTest {
    /** A client whose server answers with {@code answers}, one line each; {@code sent} collects the requests. */
    private static PmiClient scripted(ByteArrayOutputStream sent, String... answers) {
        String all = String.join("\n", answers) + (answers.length > 0 ? "\n" : "");
        return new PmiClient(new ByteArrayInputStream(all.getBytes(StandardCharsets.UTF_8)), sent, "PMI_FD=5");
    }

    @Test
    void requestsAreTheSimplePmiWireFormat() {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        PmiClient c = scripted(sent,
                "cmd=response_to_init rc=0 pmi_version=1 pmi_subversion=1",
                "cmd=maxes rc=0 kvsname_max=256 keylen_max=64 vallen_max=1024",
                "cmd=my_kvsname rc=0 kvsname=12.0",
                "cmd=put_result rc=0",
                "cmd=barrier_out",
                "cmd=get_result rc=0 value=v1",
                "cmd=get_result rc=1",
                "cmd=finalize_ack");
        c.init();
        assertEquals(new PmiClient.Maxes(256, 64, 1024), c.maxes());
        assertEquals("12.0", c.kvsName());
        c.put("12.0", "k", "v1");
        c.barrier();
        assertEquals("v1", c.get("12.0", "k"));
        assertNull(c.get("12.0", "missing"));
        c.finalizeJob();
        assertEquals(List.of("cmd=init pmi_version=1 pmi_subversion=1", "cmd=get_maxes", "cmd=get_my_kvsname",
                "cmd=put kvsname=12.0 key=k value=v1", "cmd=barrier_in", "cmd=get kvsname=12.0 key=k",
                "cmd=get kvsname=12.0 key=missing", "cmd=finalize"), sent.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void errorsNameTheCommandAndTheServer() {
        MpiException rc = assertThrows(MpiException.class, () -> scripted(new ByteArrayOutputStream(),
                "cmd=put_result rc=3 msg=full").put("k", "a", "b"));
        assertEquals(ErrorClass.PROTOCOL, rc.errorClass());
        assertEquals("pmi: put over PMI_FD=5: rc=3 (full)", rc.getMessage());
        MpiException wrong = assertThrows(MpiException.class, () -> scripted(new ByteArrayOutputStream(),
                "cmd=something_else").barrier());
        assertEquals("pmi: barrier_in over PMI_FD=5: expected cmd=barrier_out, got 'cmd=something_else'", wrong.getMessage());
        MpiException closed = assertThrows(MpiException.class, () -> scripted(new ByteArrayOutputStream()).init());
        assertEquals(ErrorClass.PROC_FAILED, closed.errorClass());
        assertEquals("pmi: init: the PMI server (PMI_FD=5) closed the connection", closed.getMessage());
        MpiException version = assertThrows(MpiException.class, () -> scripted(new ByteArrayOutputStream(),
                "cmd=response_to_init rc=0 pmi_version=2 pmi_subversion=0").init());
        assertEquals("pmi: init over PMI_FD=5: the server offers PMI version 2.0, not 1.1", version.getMessage());
    }

    @Test
    void keysAndValuesCannotBreakTheLineFormat() {
        PmiClient c = scripted(new ByteArrayOutputStream());
        assertEquals("pmi: value 'a b' must be non-empty, without spaces, '=' or newlines",
                assertThrows(MpiException.class, () -> c.put("k", "key", "a b")).getMessage());
        assertThrows(MpiException.class, () -> c.put("k", "a=b", "v"));
        assertThrows(MpiException.class, () -> c.put("k", "", "v"));
        MpiException tooLong = assertThrows(MpiException.class, () -> c.put("k", "key", "x".repeat(1100)));
        assertTrue(tooLong.getMessage().startsWith("pmi: request longer than 1024 bytes"), tooLong.getMessage());
    }

    @Test
    void putBarrierGetAgainstTheFakeServer() throws Exception {
        try (FakePmiServer server = new FakePmiServer(2)) {
            PmiClient a = server.client();
            PmiClient b = server.client();
            a.init();
            b.init();
            a.put("42.0", "from-a", "1");
            Thread t = new Thread(b::barrier);
            t.start();
            a.barrier();
            t.join();
            assertEquals("1", b.get("42.0", "from-a"));
            assertEquals(1, server.barriers);
        }
    }
}
