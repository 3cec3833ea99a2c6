package io.jmpi.base;

import java.util.List;

/**
 * docs/SETTINGS.md as {@link Config} defines it: one row per setting, in declaration order. SettingsTableTest fails
 * when the file differs and rewrites it on request ({@link #REGENERATE}).
 */
final class SettingsTable {
    /** The command that rewrites docs/SETTINGS.md from Config (run from the repository root). */
    static final String REGENERATE =
            "mvn -B -o -q -pl mpi-core test -Dtest=SettingsTableTest -Djmpi.regenerateDocs=true";

    private SettingsTable() {
    }

    static String markdown() {
        return markdown(Config.all());
    }

    static String markdown(List<Config.Setting<?>> settings) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Settings\n\n");
        sb.append("<!-- Generated from io.jmpi.base.Config; do not edit. SettingsTableTest fails when this file and Config\n");
        sb.append("     differ. Regenerate from the repository root with:\n");
        sb.append("     ").append(REGENERATE).append(" -->\n\n");
        sb.append("Every tunable of jmpi is a setting of `io.jmpi.base.Config`: a name, a default and a validated range.\n");
        sb.append("A rank reads it from the system property (`-Djmpi.<name>=value`), else from the environment variable\n");
        sb.append("(`JMPI_<NAME>`), else takes the default; a value out of range fails `Mpi.init` with a message naming the\n");
        sb.append("setting, the value and the range. `jmpirun -D name=value` (or the variable in jmpirun's environment)\n");
        sb.append("sets it for every rank; `jmpirun --help` lists the same table. Collective thresholds must be equal on\n");
        sb.append("all ranks (docs/COLLECTIVES.md).\n\n");
        sb.append("| name | system property | environment variable | default | range | description |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (Config.Setting<?> s : settings) {
            String def = String.valueOf(s.defaultValue());
            sb.append("| ").append(cell(s.name()))
                    .append(" | `").append(s.property()).append('`')
                    .append(" | `").append(s.envVar()).append('`')
                    .append(" | ").append(def.isEmpty() ? "(empty)" : "`" + def + "`")
                    .append(" | ").append(cell(s.range()))
                    .append(" | ").append(cell(s.description()))
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** A table cell: a pipe would end the cell early. */
    static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
