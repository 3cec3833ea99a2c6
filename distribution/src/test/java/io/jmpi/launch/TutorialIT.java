package io.jmpi.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/TUTORIAL.md as a reader runs it ({@link DocBlocks}, from mpi-core's tests): every program is written into one
 * empty folder and every command block runs there, in order, with {@code JMPI} set to this checkout. Here, in the last
 * module, because the tutorial also runs a benchmark (bench/ is built by now).
 */
@Timeout(600)
class TutorialIT {
    @Test
    void everySnippetCompilesAndRunsAsWritten() throws Exception {
        Path home = Path.of(System.getProperty("jmpi.home")).toAbsolutePath().normalize();
        List<DocBlocks.Block> blocks = DocBlocks.parse(home.resolve("docs/TUTORIAL.md"));
        assertTrue(blocks.stream().filter(DocBlocks.Block::isFile).count() >= 5, "the tutorial's programs");
        Path dir = Files.createTempDirectory("jmpi-tutorial");
        try {
            for (DocBlocks.Block b : blocks) {
                if (b.isFile()) {
                    Files.writeString(dir.resolve(b.name()), b.text());
                    continue;
                }
                DocBlocks.Run r = DocBlocks.runScript(dir, b.text(), Map.of("JMPI", home.toString()), 240);
                assertEquals(0, r.code(), "docs/TUTORIAL.md line " + b.line() + " failed:\n" + b.text() + "---\n" + r.output());
                assertTrue(b.expect() != null && r.output().contains(b.expect()), "docs/TUTORIAL.md line " + b.line()
                        + ": no '" + b.expect() + "' in:\n" + r.output());
            }
        } finally {
            DocBlocks.deleteTree(dir);
        }
    }
}
