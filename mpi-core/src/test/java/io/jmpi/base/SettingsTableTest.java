package io.jmpi.base;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/SETTINGS.md is exactly what {@link Config} says ({@link SettingsTable}). */
class SettingsTableTest {
    private static final Path DOC = Path.of("..", "docs", "SETTINGS.md"); // tests run in mpi-core/

    @Test
    void docsTableIsGeneratedFromConfig() throws IOException {
        String expected = SettingsTable.markdown();
        if (Boolean.getBoolean("jmpi.regenerateDocs")) {
            Files.writeString(DOC, expected, StandardCharsets.UTF_8);
        }
        assertTrue(Files.isRegularFile(DOC), DOC.toAbsolutePath() + " is missing; create it with: " + SettingsTable.REGENERATE);
        assertEquals(expected, Files.readString(DOC, StandardCharsets.UTF_8),
                "docs/SETTINGS.md differs from io.jmpi.base.Config; regenerate it with: " + SettingsTable.REGENERATE);
    }

    @Test
    void everySettingIsOneRow() {
        String table = SettingsTable.markdown();
        for (Config.Setting<?> s : Config.all()) {
            assertTrue(table.contains("| " + s.name() + " | `" + s.property() + "` | `" + s.envVar() + "` | "),
                    "row of " + s.name());
        }
        assertEquals(Config.all().size() + 2, table.lines().filter(l -> l.startsWith("|")).count(),
                "header, rule and one row per setting");
    }

    @Test
    void rowsShowDefaultsAndRangesAndEscapePipes() {
        Config.Setting<?> eager = Config.EAGER_LIMIT;
        assertTrue(SettingsTable.markdown(List.of(eager)).contains(
                "| eagerLimit | `jmpi.eagerLimit` | `JMPI_EAGER_LIMIT` | `65536` | [0, 1048576] | "));
        assertTrue(SettingsTable.markdown(List.of(Config.BIND)).contains("| `JMPI_BIND` | (empty) | any text | "));
        assertEquals("a \\| b", SettingsTable.cell("a | b"));
    }
}
