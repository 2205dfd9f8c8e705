package io.duplex.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How a setting's text is read, and what a wrong value is told. Parsing never guesses: it accepts or explains. */
abstract class ValueType<T> {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

    /** What a valid value looks like, for error messages and --help. */
    abstract String expected();

    abstract T parse(String text);

    /** Whether values of this type are secrets, never to be shown in messages. */
    boolean secret() {
        return false;
    }

    /** The text as an error message may show it: values that can hold a secret show without it. */
    String shown(String text) {
        return text;
    }

    static ValueType<Integer> integer(int min, int max) {
        return new ValueType<>() {
            @Override
            String expected() {
                return max == Integer.MAX_VALUE ? "a whole number ≥ " + min : "a whole number from " + min + " to " + max;
            }

            @Override
            Integer parse(String text) {
                long value;
                try {
                    value = Long.parseLong(text.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(expected());
                }
                if (value < min || value > max) {
                    throw new IllegalArgumentException(expected());
                }
                return (int) value;
            }
        };
    }

    /** A byte count: {@code 65536}, {@code 64KiB}, {@code 4MiB} (k, m, g are 1024-based). */
    static ValueType<Long> size(long min, long max) {
        return new ValueType<>() {
            @Override
            String expected() {
                return "a size in bytes from " + Sizes.format(min) + " to " + Sizes.format(max) + " (e.g. 65536, 64KiB, 4MiB)";
            }

            @Override
            Long parse(String text) {
                Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
                if (!m.matches()) {
                    throw new IllegalArgumentException(expected());
                }
                long unit = switchUnit(m.group(2));
                long value;
                try {
                    value = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
                } catch (ArithmeticException | NumberFormatException e) {
                    throw new IllegalArgumentException(expected());
                }
                if (value < min || value > max) {
                    throw new IllegalArgumentException(expected());
                }
                return value;
            }

            private long switchUnit(String unit) {
                if (unit == null || unit.equals("b")) {
                    return 1;
                }
                if (unit.startsWith("k")) {
                    return 1024;
                }
                if (unit.startsWith("m")) {
                    return 1024 * 1024;
                }
                return 1024L * 1024 * 1024;
            }
        };
    }

    /** A duration: {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 2d} or ISO-8601 ({@code PT10M}). */
    static ValueType<Duration> duration(Duration min, Duration max) {
        return new ValueType<>() {
            @Override
            String expected() {
                return "a duration from " + Durations.format(min) + " to " + Durations.format(max) + " (e.g. 500ms, 10s, 5m, 1h, PT10M)";
            }

            @Override
            Duration parse(String text) {
                String t = text.trim();
                Duration value;
                Matcher m = DURATION.matcher(t.toLowerCase(Locale.ROOT));
                try {
                    if (m.matches()) {
                        long n = Long.parseLong(m.group(1));
                        value = switch (m.group(2)) {
                            case "ms" -> Duration.ofMillis(n);
                            case "s" -> Duration.ofSeconds(n);
                            case "m" -> Duration.ofMinutes(n);
                            case "h" -> Duration.ofHours(n);
                            default -> Duration.ofDays(n);
                        };
                    } else {
                        value = Duration.parse(t.toUpperCase(Locale.ROOT));
                    }
                } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
                    throw new IllegalArgumentException(expected());
                }
                if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                    throw new IllegalArgumentException(expected());
                }
                return value;
            }
        };
    }

    static ValueType<String> oneOf(String... choices) {
        List<String> allowed = Arrays.asList(choices);
        return new ValueType<>() {
            @Override
            String expected() {
                return "one of " + String.join(", ", allowed);
            }

            @Override
            String parse(String text) {
                String value = text.trim().toLowerCase(Locale.ROOT);
                if (!allowed.contains(value)) {
                    throw new IllegalArgumentException(expected());
                }
                return value;
            }
        };
    }

    /** Comma-separated items, each one of the choices; an empty text is the empty list. */
    static ValueType<List<String>> someOf(String... choices) {
        List<String> allowed = Arrays.asList(choices);
        return new ValueType<>() {
            @Override
            String expected() {
                return "comma-separated, each one of " + String.join(", ", allowed) + " (or nothing)";
            }

            @Override
            List<String> parse(String text) {
                if (text.isBlank()) {
                    return List.of();
                }
                List<String> items = Arrays.stream(text.split(",", -1)).map(i -> i.trim().toLowerCase(Locale.ROOT)).distinct().toList();
                if (!allowed.containsAll(items)) {
                    throw new IllegalArgumentException(expected());
                }
                return items;
            }
        };
    }

    /** {@code true} or {@code false} (also yes/no, on/off, 1/0). */
    static ValueType<Boolean> bool() {
        return new ValueType<>() {
            @Override
            String expected() {
                return "true or false";
            }

            @Override
            Boolean parse(String text) {
                return switch (text.trim().toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "on", "1" -> true;
                    case "false", "no", "off", "0" -> false;
                    default -> throw new IllegalArgumentException(expected());
                };
            }
        };
    }

    /** A comma-separated list of non-empty items; an empty text is the empty list. */
    static ValueType<List<String>> list(String expected) {
        return new ValueType<>() {
            @Override
            String expected() {
                return expected;
            }

            @Override
            List<String> parse(String text) {
                if (text.isBlank()) {
                    return List.of();
                }
                List<String> items = Arrays.stream(text.split(",")).map(String::trim).toList();
                if (items.stream().anyMatch(String::isEmpty)) {
                    throw new IllegalArgumentException(expected + " (an item is empty)");
                }
                return items;
            }
        };
    }

    /** Secret text: a key, a password. Held as a {@link Secret}, which never prints its value. */
    static ValueType<Secret> secret(String expected, int minLength) {
        return new ValueType<>() {
            @Override
            String expected() {
                return expected;
            }

            @Override
            boolean secret() {
                return true;
            }

            @Override
            Secret parse(String text) {
                String value = text.trim();
                if (value.length() < minLength) {
                    throw new IllegalArgumentException(expected);
                }
                return new Secret(value);
            }
        };
    }

    /** Comma-separated secrets, each read as {@link #secret}: several keys allow rotation. */
    static ValueType<List<Secret>> secrets(String expected, int minLength) {
        ValueType<Secret> one = secret(expected, minLength);
        return new ValueType<>() {
            @Override
            String expected() {
                return expected;
            }

            @Override
            boolean secret() {
                return true;
            }

            @Override
            List<Secret> parse(String text) {
                return Arrays.stream(text.split(",")).map(one::parse).toList();
            }
        };
    }

    /**
     * A Redis URI as Lettuce reads it. Checked here with the JDK alone (the configuration is also read by the embedded
     * server, which has no Lettuce); error messages show it with its password masked, and never quote the URI parser,
     * whose messages repeat the whole text.
     */
    static ValueType<RedisUri> redisUri() {
        return new ValueType<>() {
            @Override
            String expected() {
                return "a URI like redis://[user:password@]host[:port][/database], rediss://… (TLS) or "
                        + "redis-sentinel://[password@]host:port[,host:port]/[database]#master";
            }

            @Override
            String shown(String text) {
                return RedisUri.mask(text);
            }

            @Override
            RedisUri parse(String text) {
                RedisUri uri = new RedisUri(text.trim());
                if (uri.scheme() == null || !Arrays.asList(RedisUri.SCHEMES).contains(uri.scheme())) {
                    throw new IllegalArgumentException(expected() + " (the scheme must be one of "
                            + String.join(", ", RedisUri.SCHEMES) + ")");
                }
                try {
                    new URI(uri.value());
                } catch (URISyntaxException e) {
                    // The reason only: the parser's message quotes the whole text, password and all.
                    throw new IllegalArgumentException(expected() + " (" + e.getReason().toLowerCase(Locale.ROOT) + ")");
                }
                try {
                    uri.check();
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(expected() + " (" + e.getMessage() + ")");
                }
                return uri;
            }
        };
    }

    static ValueType<String> text(String expected) {
        return new ValueType<>() {
            @Override
            String expected() {
                return expected;
            }

            @Override
            String parse(String text) {
                String value = text.trim();
                if (value.isEmpty()) {
                    throw new IllegalArgumentException(expected);
                }
                return value;
            }
        };
    }
}
