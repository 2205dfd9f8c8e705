package io.duplex.config;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The launcher's command line: {@code --port 9000}, {@code --history-size=500}, {@code --dev-tls}, {@code --help}.
 * Every setting has a flag; an unknown flag or a missing value is an error, never ignored. A true-or-false
 * setting is also a switch: {@code --dev-tls} alone means {@code --dev-tls true}.
 */
public record CommandLine(Map<Setting, String> values, boolean help, boolean version) {
    private static final ValueType<Boolean> SWITCH = ValueType.bool();

    public CommandLine {
        values = Map.copyOf(values);
    }

    public static CommandLine parse(String... args) {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        List<String> problems = new ArrayList<>();
        boolean help = false;
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (arg.equals("--version")) {
                version = true;
                continue;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            Setting setting = arg.startsWith("--") ? Setting.byName(name) : null;
            if (setting == null || !setting.flag().equals(name)) {
                problems.add("unknown option '" + name + "'");
                if (value == null && i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    i++; // its value: one mistake, one message
                }
                continue;
            }
            if (value == null && isSwitch(setting)) {
                // Only a true-or-false word after a switch is its value: `--dev-tls --port 8443` means on.
                value = i + 1 < args.length && isBooleanWord(args[i + 1]) ? args[++i] : "true";
            }
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    problems.add("option " + name + " needs a value: " + setting.expected());
                    continue;
                }
                value = args[++i];
            }
            values.put(setting, value);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new CommandLine(values, help, version);
    }

    /** A true-or-false setting, which may be given without a value. */
    private static boolean isSwitch(Setting setting) {
        return setting.expected().equals(SWITCH.expected());
    }

    private static boolean isBooleanWord(String arg) {
        try {
            SWITCH.parse(arg);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The text of {@code --help}: every option with its environment variable, default and meaning. */
    public static String usage() {
        StringBuilder out = new StringBuilder();
        out.append("Usage: java -jar duplex.war [options]\n\n")
                .append("Runs Duplex on an embedded Jetty. Every option can also be set as an environment variable,\n")
                .append("a system property or servlet context parameter (duplex.<key>), or a key in the --config file.\n\n");
        for (Setting s : Setting.values()) {
            out.append(String.format("  %-28s %s%n", s.flag() + (isSwitch(s) ? " [true|false]" : " <value>"), s.environmentVariable()));
            out.append("      ").append(s.description()).append('\n');
            out.append("      Default: ").append(s.defaultValue() == null ? "(none)" : s.defaultValue())
                    .append(". Expects ").append(s.expected()).append(".\n");
        }
        out.append("\n  --help                       Prints this text.\n");
        out.append("  --version                    Prints the version.\n");
        return out.toString();
    }
}
