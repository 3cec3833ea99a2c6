package io.jmpi.launch;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tested code blocks of a Markdown file (README.md, a tutorial): a fenced block right after a line
 * {@code <!-- readme-test: file NAME -->} is a file to write, one after {@code <!-- readme-test: run, expect "TEXT" -->}
 * a shell script to run in the folder of those files (the output must hold TEXT; {@code , expect} is optional).
 * Tests run them as a reader would, so a document cannot drift from what works.
 */
final class DocBlocks {
    private static final Pattern MARK = Pattern.compile("^<!-- readme-test: (file (\\S+)|run(?:, expect \"([^\"]*)\")?) -->$");

    /** One marked block: a file (name set) or a script (name null, expect possibly null). */
    record Block(String name, String expect, String text, int line) {
        boolean isFile() {
            return name != null;
        }
    }

    private DocBlocks() {
    }

    static List<Block> parse(Path markdown) throws IOException {
        List<String> lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = MARK.matcher(lines.get(i).strip());
            if (!m.matches()) continue;
            int open = i + 1;
            if (open >= lines.size() || !lines.get(open).startsWith("```")) {
                throw new IllegalStateException(markdown + ":" + (i + 1) + ": a readme-test mark not followed by a ``` block");
            }
            StringBuilder text = new StringBuilder();
            int j = open + 1;
            for (; j < lines.size() && !lines.get(j).startsWith("```"); j++) text.append(lines.get(j)).append('\n');
            if (j >= lines.size()) throw new IllegalStateException(markdown + ":" + (open + 1) + ": unclosed ``` block");
            blocks.add(new Block(m.group(2), m.group(3), text.toString(), open + 1));
            i = j;
        }
        return blocks;
    }

    /** What a script printed (stdout and stderr together) and its exit code. */
    record Run(int code, String output) {
    }

    /**
     * Runs {@code script} with bash ({@code -e}: the first failing command fails it) in {@code dir}, with the JDK
     * of this test first on PATH and {@code env} added; kills it (and its children) after {@code timeoutSeconds}.
     */
    static Run runScript(Path dir, String script, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "block", ".sh");
        Files.writeString(file, "set -euo pipefail\n" + script);
        Path log = Files.createTempFile(dir, "block", ".log");
        ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        String jdkBin = Path.of(System.getProperty("java.home"), "bin").toString();
        pb.environment().put("PATH", jdkBin + File.pathSeparator + pb.environment().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(log);
        Files.deleteIfExists(file);
        Files.deleteIfExists(log);
        return new Run(done ? p.exitValue() : -1, done ? out : out + "\n(killed after " + timeoutSeconds + " s)");
    }

    /** Deletes a folder tree (a test's scratch folder). */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
