package io.jmpi.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README.md's first program, run from the README's own text ({@link DocBlocks}): its files are written into an empty
 * folder and its commands run there with {@code JMPI} set to this checkout, as a newcomer would type them.
 */
@Timeout(300)
class ReadmeIT {
    static Path home() {
        return Path.of(System.getProperty("jmpi.home", "..")).toAbsolutePath().normalize();
    }

    @Test
    void theFirstProgramCompilesAndRunsAsWritten() throws Exception {
        List<DocBlocks.Block> blocks = DocBlocks.parse(home().resolve("README.md"));
        assertFalse(blocks.stream().noneMatch(DocBlocks.Block::isFile), "README.md has no readme-test file block");
        assertFalse(blocks.stream().allMatch(DocBlocks.Block::isFile), "README.md has no readme-test run block");
        Path dir = Files.createTempDirectory("jmpi-readme");
        try {
            int runs = 0;
            for (DocBlocks.Block b : blocks) {
                if (b.isFile()) {
                    Files.writeString(dir.resolve(b.name()), b.text());
                    continue;
                }
                DocBlocks.Run r = DocBlocks.runScript(dir, b.text(), Map.of("JMPI", home().toString()), 240);
                assertEquals(0, r.code(), "README.md line " + b.line() + " failed:\n" + b.text() + "---\n" + r.output());
                if (b.expect() != null) {
                    assertTrue(r.output().contains(b.expect()), "README.md line " + b.line() + ": no '" + b.expect()
                            + "' in:\n" + r.output());
                }
                runs++;
            }
            assertTrue(runs > 0);
        } finally {
            DocBlocks.deleteTree(dir);
        }
    }
}
