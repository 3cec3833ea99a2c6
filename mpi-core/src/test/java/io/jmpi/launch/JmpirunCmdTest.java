package io.jmpi.launch;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/jmpirun.cmd cannot run here (no Windows): this checks what review can, mechanically (issue 22). CRLF line ends
 * (cmd.exe mis-reads labels in LF-only files), every goto has its label, no parenthesised block (a path with ")"
 * would end it early), and it runs the jar the build and the release make with every argument.
 */
class JmpirunCmdTest {
    private static final Path CMD = Path.of(System.getProperty("jmpi.home", "..")).resolve("bin/jmpirun.cmd");

    @Test
    void isATrivialWrapperAroundJavaDashJar() throws Exception {
        String text = Files.readString(CMD, StandardCharsets.US_ASCII);
        assertFalse(text.replace("\r\n", "").contains("\n"), "LF without CR in " + CMD);
        List<String> code = text.lines().filter(l -> !l.isBlank() && !l.regionMatches(true, 0, "rem", 0, 3)).toList();
        assertEquals("@echo off", code.get(0));
        for (String line : code) {
            if (line.startsWith("echo ")) continue;
            assertFalse(line.contains("(") || line.contains(")"), "parenthesised block: " + line);
        }
        Matcher gotos = Pattern.compile("(?i)\\bgoto\\s+(\\w+)").matcher(String.join("\n", code));
        while (gotos.find()) assertTrue(code.contains(":" + gotos.group(1)), "no label :" + gotos.group(1));
        assertTrue(code.contains("set \"JAR=%JMPI_HOME%\\lib\\jmpi.jar\""), "the release's jar");
        assertTrue(code.contains("if not exist \"%JAR%\" set \"JAR=%JMPI_HOME%\\mpi-core\\target\\jmpi.jar\""),
                "the build's jar");
        assertTrue(code.stream().anyMatch(l -> l.startsWith("\"%JAVA%\" ") && l.endsWith(" -jar \"%JAR%\" %*")),
                "runs the jar with every argument");
        assertEquals("exit /b %ERRORLEVEL%", code.get(code.size() - 1));
    }
}
