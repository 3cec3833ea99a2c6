package io.jmpi.launch;

import io.jmpi.trace.TraceFile;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What {@code jmpirun --trace FILE} and {@code --profile} do around the job (issue 19, docs/TOOLS.md): pick the folder
 * the ranks record into, and at the end read it back and write the timeline (Chrome Trace Event JSON and an offline
 * HTML report) and the profile (text, CSVs, heat map). The folder is removed afterwards.
 */
final class Reports {
    private Reports() {
    }

    /**
     * The folder of the ranks' files: beside the trace file ({@code FILE.ranks}, on a shared file system when the
     * job spans hosts), or a temporary folder for a profile alone.
     */
    static Path recordingFolder(Path traceFile, boolean create) {
        try {
            if (traceFile != null) {
                Path abs = traceFile.toAbsolutePath();
                Path d = abs.resolveSibling(abs.getFileName() + ".ranks");
                if (!create) return d;
                deleteTree(d);
                return Files.createDirectories(d);
            }
            if (!create) return Path.of(System.getProperty("java.io.tmpdir"), "jmpi-profile-XXXX");
            return Files.createTempDirectory("jmpi-profile");
        } catch (IOException e) {
            throw new UncheckedIOException("--trace/--profile: cannot create the ranks' folder: " + e.getMessage(), e);
        }
    }

    /** Reads the ranks' files and writes what was asked for; problems are reported on {@code err}, not thrown. */
    static void write(Path dir, Path traceFile, Path profileDir, PrintStream out, PrintStream err) {
        try {
            TraceFile t = TraceFile.read(dir);
            if (t.ranks().isEmpty()) {
                err.println("jmpirun: no rank wrote a trace into " + dir);
                return;
            }
            if (traceFile != null) {
                ChromeTrace.write(t, traceFile);
                TimelineHtml.write(t, htmlFile(traceFile));
                err.println("jmpirun: trace of " + t.ranks().size() + " ranks in " + traceFile + " and " + htmlFile(traceFile));
            }
            if (profileDir != null) {
                Profile p = Profile.of(t);
                p.print(out);
                p.writeFiles(profileDir);
            }
            deleteTree(dir);
        } catch (IOException | RuntimeException e) {
            err.println("jmpirun: cannot write the trace/profile from " + dir + ": " + e);
        }
    }

    /** {@code run.json} -> {@code run.html}; any other name gets {@code .html} appended. */
    static Path htmlFile(Path traceFile) {
        String n = traceFile.getFileName().toString();
        String base = n.endsWith(".json") ? n.substring(0, n.length() - 5) : n;
        return traceFile.resolveSibling(base + ".html");
    }

    private static void deleteTree(Path d) throws IOException {
        if (!Files.exists(d)) return;
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }
}
