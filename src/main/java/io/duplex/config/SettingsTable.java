package io.duplex.config;

import java.util.function.Predicate;

/** The settings as a Markdown table, for docs/configuration.md (a test keeps that page equal to this). */
public final class SettingsTable {
    private SettingsTable() {
    }

    public static String markdown() {
        return markdown(setting -> true);
    }

    /** The settings of one part (docs/bridges.md shows the bridges' own). */
    public static String markdown(Predicate<Setting> which) {
        StringBuilder out = new StringBuilder()
                .append("| setting (file key) | flag | environment | default | what it does, and what happens at the limit |\n")
                .append("|---|---|---|---|---|\n");
        for (Setting s : Setting.values()) {
            if (!which.test(s)) {
                continue;
            }
            out.append("| `").append(s.key()).append("` | `").append(s.flag()).append("` | `").append(s.environmentVariable())
                    .append("` | ").append(s.defaultValue() == null ? "(none)" : "`" + s.defaultValue() + "`")
                    .append(" | ").append(s.description().replace("|", "\\|")).append(" Expects ").append(s.expected())
                    .append(". |\n");
        }
        return out.toString();
    }
}
