package io.duplex.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** How the Kafka bridge's settings are read: addresses, topic names, routes to channels, channel patterns. */
final class KafkaValues {
    /** What Kafka itself allows in a topic name. */
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\]");
    /** The placeholders of a Kafka channel template. */
    static final Set<String> PLACEHOLDERS = Set.of("topic", "key", "partition", "header:");

    private KafkaValues() {
    }

    /** {@code host:port,host:port}: Kafka's bootstrap.servers, each checked here so a typo fails the start. */
    static ValueType<List<String>> bootstrapServers() {
        return new ValueType<>() {
            @Override
            String expected() {
                return "comma-separated host:port pairs, e.g. kafka1:9092,kafka2:9092";
            }

            @Override
            List<String> parse(String text) {
                List<String> servers = items(text, expected());
                for (String server : servers) {
                    int colon = server.lastIndexOf(':');
                    if (colon <= 0 || !HOST.matcher(server.substring(0, colon)).matches()) {
                        throw new IllegalArgumentException(expected() + " ('" + server + "' is not host:port)");
                    }
                    int port;
                    try {
                        port = Integer.parseInt(server.substring(colon + 1));
                    } catch (NumberFormatException e) {
                        port = -1;
                    }
                    if (port < 1 || port > 65535) {
                        throw new IllegalArgumentException(expected() + " (the port of '" + server + "' is not from 1 to 65535)");
                    }
                }
                return servers;
            }
        };
    }

    /** One topic name, as Kafka allows it. */
    static ValueType<String> topic() {
        return new ValueType<>() {
            @Override
            String expected() {
                return "a Kafka topic name (1-249 of a-z A-Z 0-9 . _ -)";
            }

            @Override
            String parse(String text) {
                return checkTopic(text.trim(), expected());
            }
        };
    }

    /** Comma-separated topic names. */
    static ValueType<List<String>> topics() {
        return new ValueType<>() {
            @Override
            String expected() {
                return "comma-separated Kafka topic names (each 1-249 of a-z A-Z 0-9 . _ -)";
            }

            @Override
            List<String> parse(String text) {
                List<String> topics = items(text, expected());
                topics.forEach(t -> checkTopic(t, expected()));
                return List.copyOf(new LinkedHashSet<>(topics));
            }
        };
    }

    /** A Java regular expression that topic names must match in whole. */
    static ValueType<Pattern> pattern() {
        return new ValueType<>() {
            @Override
            String expected() {
                return "a Java regular expression matched against whole topic names, e.g. orders\\..*";
            }

            @Override
            Pattern parse(String text) {
                try {
                    return Pattern.compile(text.trim());
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(expected() + " (" + e.getDescription() + " at index " + e.getIndex() + ")");
                }
            }
        };
    }

    /** {@code topic=template,*=template}: the channel of each topic's records. */
    static ValueType<List<TopicRoute>> routes() {
        return new ValueType<>() {
            @Override
            String expected() {
                return "comma-separated TOPIC=TEMPLATE routes (TOPIC a topic name or * for the others; TEMPLATE channel "
                        + "characters with {topic}, {key}, {partition} or {header:NAME}), e.g. orders.status=order:{key},*={topic}";
            }

            @Override
            List<TopicRoute> parse(String text) {
                List<TopicRoute> routes = new ArrayList<>();
                Set<String> seen = new LinkedHashSet<>();
                for (String item : items(text, expected())) {
                    int eq = item.indexOf('=');
                    if (eq <= 0 || eq == item.length() - 1) {
                        throw new IllegalArgumentException(expected() + " ('" + item + "' is not TOPIC=TEMPLATE)");
                    }
                    String topic = item.substring(0, eq).trim();
                    if (!topic.equals(TopicRoute.ANY_TOPIC)) {
                        checkTopic(topic, expected());
                    }
                    if (!seen.add(topic)) {
                        throw new IllegalArgumentException(expected() + " (topic " + topic + " has two routes)");
                    }
                    try {
                        routes.add(new TopicRoute(topic, ChannelTemplate.parse(item.substring(eq + 1).trim(), PLACEHOLDERS)));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(expected() + " (" + e.getMessage() + ")");
                    }
                }
                return List.copyOf(routes);
            }
        };
    }

    /** One of Kafka's SASL mechanisms that take a user name and password. */
    static ValueType<String> saslMechanism() {
        List<String> allowed = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
        return new ValueType<>() {
            @Override
            String expected() {
                return "one of " + String.join(", ", allowed);
            }

            @Override
            String parse(String text) {
                String value = text.trim().toUpperCase(Locale.ROOT);
                if (!allowed.contains(value)) {
                    throw new IllegalArgumentException(expected());
                }
                return value;
            }
        };
    }

    private static String checkTopic(String topic, String expected) {
        if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException(expected + " ('" + topic + "' is not a topic name Kafka allows)");
        }
        return topic;
    }

    private static List<String> items(String text, String expected) {
        return BridgeValues.items(text, expected);
    }
}
