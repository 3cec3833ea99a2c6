package io.jmpi.bootstrap;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlProtocolTest {
    @Test
    void linesRoundTripAndUnterminatedTailIsDropped() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ControlProtocol.writeLine(out, "FAIL héllo wörld");
        ControlProtocol.writeLine(out, "BYE");
        out.write("ABO".getBytes(StandardCharsets.UTF_8));
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        assertEquals("FAIL héllo wörld", ControlProtocol.readLine(in));
        assertEquals("BYE", ControlProtocol.readLine(in));
        assertNull(ControlProtocol.readLine(in));
    }

    @Test
    void overlongLineIsAProtocolError() {
        byte[] big = new byte[ControlProtocol.MAX_LINE + 10];
        java.util.Arrays.fill(big, (byte) 'x');
        MpiException e = assertThrows(MpiException.class, () -> ControlProtocol.readLine(new ByteArrayInputStream(big)));
        assertEquals(ErrorClass.PROTOCOL, e.errorClass());
        assertEquals("control: line longer than 65536 bytes", e.getMessage());
    }

    @Test
    void oneLineFlattensAndBoundsFreeText() {
        assertEquals("a b  c", ControlProtocol.oneLine("a\nb\r\tc"));
        assertEquals("(no reason given)", ControlProtocol.oneLine(null));
        String longText = "y".repeat(10_000);
        String one = ControlProtocol.oneLine(longText);
        assertTrue(one.length() < 4100 && one.endsWith(" ..."), one.length() + "");
    }

    @Test
    void verbAndRest() {
        assertEquals("ABORT", ControlProtocol.verb("ABORT 3 why not"));
        assertEquals("3 why not", ControlProtocol.rest("ABORT 3 why not"));
        assertEquals("BYE", ControlProtocol.verb("BYE"));
        assertEquals("", ControlProtocol.rest("BYE"));
    }
}
