package io.duplex.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** How the MQTT bridge's settings are read: the broker's address, topic filters, routes to channels, the topic out. */
final class MqttValues {
    /** The placeholders of an MQTT channel template: the whole topic, or one of its levels. */
    static final Set<String> PLACEHOLDERS = Set.of("topic", "level:");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\]");
    private static final Pattern LEVEL = Pattern.compile("-?[1-9][0-9]{0,3}");

    private MqttValues() {
    }

    /** {@code mqtt://host[:port]} or {@code mqtts://host[:port]}. */
    static ValueType<MqttAddress> address() {
        return new ValueType<>() {
            @Override
            String expected() {
                return "mqtt://host[:port] (port 1883 by default) or mqtts://host[:port] (TLS, port 8883 by default)";
            }

            @Override
            String shown(String text) {
                // A user:password@ in the URI is refused below; it must not be shown either.
                return text.replaceAll("//[^/@]*@", "//(credentials)@");
            }

            @Override
            MqttAddress parse(String text) {
                URI uri;
                try {
                    uri = new URI(text.trim());
                } catch (URISyntaxException e) {
                    // The reason only: the parser's message quotes the whole text.
                    throw new IllegalArgumentException(expected() + " (" + e.getReason().toLowerCase(Locale.ROOT) + ")");
                }
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("mqtt") && !scheme.equals("mqtts")) {
                    throw new IllegalArgumentException(expected() + " (the scheme must be mqtt or mqtts)");
                }
                if (uri.getRawUserInfo() != null) {
                    throw new IllegalArgumentException(expected() + " (credentials go in mqtt.username and mqtt.password, "
                            + "not in the URI)");
                }
                String host = uri.getHost();
                if (host == null || !HOST.matcher(host).matches()) {
                    throw new IllegalArgumentException(expected() + " (no valid host: a port that is not a number from 1 "
                            + "to 65535 hides it too)");
                }
                if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    throw new IllegalArgumentException(expected() + " (an MQTT address has no path, query or fragment)");
                }
                boolean tls = scheme.equals("mqtts");
                int port = uri.getPort() < 0 ? (tls ? 8883 : 1883) : uri.getPort();
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException(expected() + " (the port is not from 1 to 65535)");
                }
                return new MqttAddress(tls, host, port);
            }
        };
    }

    /** Comma-separated topic filters. */
    static ValueType<List<TopicFilter>> filters() {
        return new ValueType<>() {
            @Override
            String expected() {
                return "comma-separated MQTT topic filters (levels separated by /, + for one level, # last for any), e.g. "
                        + "plant/+/temperature,fleet/#";
            }

            @Override
            List<TopicFilter> parse(String text) {
                Set<TopicFilter> filters = new LinkedHashSet<>();
                for (String item : BridgeValues.items(text, expected())) {
                    try {
                        filters.add(TopicFilter.parse(item));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(expected() + " (" + e.getMessage() + ")");
                    }
                }
                return List.copyOf(filters);
            }
        };
    }

    /** {@code filter=template,*=template}: the channel of each topic's messages, the first matching route winning. */
    static ValueType<List<MqttRoute>> routes() {
        return new ValueType<>() {
            @Override
            String expected() {
                return "comma-separated FILTER=TEMPLATE routes, the first that matches a topic winning (FILTER a topic filter, "
                        + "or * for any topic; TEMPLATE channel characters with {topic} or {level:N}), e.g. "
                        + "plant/+/temperature=temperature.{level:2},*={topic}";
            }

            @Override
            List<MqttRoute> parse(String text) {
                List<MqttRoute> routes = new ArrayList<>();
                Set<String> seen = new LinkedHashSet<>();
                for (String item : BridgeValues.items(text, expected())) {
                    // A template holds no '=', a topic may: the last '=' ends the filter.
                    int eq = item.lastIndexOf('=');
                    if (eq <= 0 || eq == item.length() - 1) {
                        throw new IllegalArgumentException(expected() + " ('" + item + "' is not FILTER=TEMPLATE)");
                    }
                    String filterText = item.substring(0, eq).trim();
                    if (!seen.add(filterText)) {
                        throw new IllegalArgumentException(expected() + " (" + filterText + " has two routes)");
                    }
                    try {
                        TopicFilter filter = filterText.equals(MqttRoute.ANY_TOPIC) ? null : TopicFilter.parse(filterText);
                        ChannelTemplate template = ChannelTemplate.parse(item.substring(eq + 1).trim(), PLACEHOLDERS);
                        checkLevels(filter, template);
                        routes.add(new MqttRoute(filter, template));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(expected() + " (" + e.getMessage() + ")");
                    }
                }
                return List.copyOf(routes);
            }
        };
    }

    /** A {@code {level:N}} must be a level number, and one that every topic of the route's filter has. */
    private static void checkLevels(TopicFilter filter, ChannelTemplate template) {
        template.render(part -> {
            if (part.name().equals("level:")) {
                if (!LEVEL.matcher(part.argument()).matches()) {
                    throw new IllegalArgumentException("{level:" + part.argument() + "} in '" + template + "' is not a level "
                            + "number: 1 is the first level, -1 the last");
                }
                int n = Math.abs(Integer.parseInt(part.argument()));
                int guaranteed = filter == null ? 1 : (filter.multiLevel() ? filter.levels() - 1 : filter.levels());
                if (filter != null && n > guaranteed) {
                    throw new IllegalArgumentException("{level:" + part.argument() + "} in '" + template + "': topics of "
                            + filter + " may have only " + guaranteed + (guaranteed == 1 ? " level" : " levels"));
                }
            }
            return "";
        });
    }

    /** The topic of exported messages: topic text with {@code {channel}}. */
    static ValueType<TopicTemplate> topicTemplate() {
        return new ValueType<>() {
            @Override
            String expected() {
                return "an MQTT topic, where {channel} stands for the channel's name with . as / (e.g. duplex/{channel})";
            }

            @Override
            TopicTemplate parse(String text) {
                try {
                    return TopicTemplate.parse(text.trim());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(expected() + " (" + e.getMessage() + ")");
                }
            }
        };
    }

    /** {@code property:NAME}, {@code json:FIELD} or {@code none}. */
    static ValueType<MqttIdSource> idSource() {
        return new ValueType<>() {
            @Override
            String expected() {
                return "property:NAME (an MQTT 5 user property), json:FIELD (a field of a JSON object payload) or none";
            }

            @Override
            MqttIdSource parse(String text) {
                String value = text.trim();
                if (value.equalsIgnoreCase("none")) {
                    return MqttIdSource.NONE;
                }
                int colon = value.indexOf(':');
                String kind = colon < 0 ? "" : value.substring(0, colon).toLowerCase(Locale.ROOT);
                String name = colon < 0 ? "" : value.substring(colon + 1);
                if (name.isEmpty() || !(kind.equals("property") || kind.equals("json"))) {
                    throw new IllegalArgumentException(expected());
                }
                return new MqttIdSource(kind.equals("property") ? MqttIdSource.Kind.PROPERTY : MqttIdSource.Kind.JSON, name);
            }
        };
    }
}
