package io.duplex.bridge.mqtt;

import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import io.duplex.config.ChannelTemplate;
import io.duplex.config.DuplexConfig;
import io.duplex.config.MqttIdSource;
import io.duplex.config.MqttRoute;
import io.duplex.error.DuplexException;
import io.duplex.protocol.JsonInput;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What an MQTT message becomes: the channel of the first route whose filter matches its topic, its payload as the
 * message's data (JSON when it is JSON, else the text as a JSON string), and an idempotency key by which a redelivery of
 * it is recognised (the device's own id when it gives one, else this node's session, the packet id and the content).
 */
final class MessageMapping {
    private final DuplexConfig.Mqtt mqtt;
    private final String clientId;

    MessageMapping(DuplexConfig.Mqtt mqtt, String clientId) {
        this.mqtt = mqtt;
        this.clientId = clientId;
    }

    /** A message that cannot become a channel message, and why. */
    static final class Unfit extends Exception {
        private static final long serialVersionUID = 1L;

        Unfit(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The channel message an MQTT message becomes. */
    record Message(ChannelName channel, Payload data) {
    }

    Message map(String topic, byte[] payload) throws Unfit {
        return new Message(channel(topic), data(payload));
    }

    ChannelName channel(String topic) throws Unfit {
        MqttRoute route = mqtt.route(topic).orElseThrow(() -> new Unfit("mqtt.in.channels has no route for its topic"));
        String[] levels = topic.split("/", -1);
        String name;
        try {
            name = route.template().render(part -> value(part, topic, levels));
        } catch (IllegalStateException e) {
            throw new Unfit(e.getMessage() + ", which the channel template " + route.template() + " needs");
        }
        try {
            return ChannelName.of(name);
        } catch (DuplexException e) {
            throw new Unfit("its channel from " + route.template() + " is not valid: " + e.getMessage());
        }
    }

    private static String value(ChannelTemplate.Part part, String topic, String[] levels) {
        if (part.name().equals("topic")) {
            return TopicNames.toChannel(topic);
        }
        int n = Integer.parseInt(part.argument());
        int index = n > 0 ? n - 1 : levels.length + n;
        if (index < 0 || index >= levels.length) {
            throw new IllegalStateException("the topic has no level " + n);
        }
        return TopicNames.toChannel(levels[index]);
    }

    /** The payload as message data: a JSON value as it is, other text as a JSON string. */
    static Payload data(byte[] payload) throws Unfit {
        String text = text(payload).orElseThrow(() -> new Unfit("its payload is neither JSON nor UTF-8 text"));
        if (!text.isBlank() && looksLikeJson(text)) {
            try {
                JsonValue json = JsonInput.readValue(text, "MQTT payload");
                if (json == JsonValue.NULL) {
                    throw new Unfit("its payload is JSON null, which is no message");
                }
                return Payload.of(json);
            } catch (DuplexException e) {
                // Not JSON after all ("{oops"): the text itself is the message.
            }
        }
        return Payload.of(Json.createValue(text));
    }

    private static boolean looksLikeJson(String text) {
        String stripped = text.strip();
        char first = stripped.charAt(0);
        return first == '{' || first == '[' || first == '"' || first == '-' || (first >= '0' && first <= '9')
                || stripped.equals("true") || stripped.equals("false") || stripped.equals("null");
    }

    private static Optional<String> text(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /**
     * The idempotency key of a message. With an id the device gave (mqtt.in.id), the topic and that id: the same on every
     * node, so a message two nodes received is published once. Without one, this node's session (its client id), the
     * packet id the broker gave it, and a digest of topic and payload: the broker redelivers an unacknowledged message to
     * the same session with the same packet id. Printable ASCII, as keys must be.
     */
    String key(String topic, byte[] payload, int packetId, Optional<String> userPropertyId, Payload data) {
        Optional<String> id = deviceId(userPropertyId, data);
        if (id.isPresent()) {
            return "id:" + digest(topic, id.get().getBytes(StandardCharsets.UTF_8));
        }
        return "pk:" + digest(clientId + "\u0000" + packetId + "\u0000" + topic, payload);
    }

    /** The device's id of the message, where mqtt.in.id says devices put it. */
    Optional<String> deviceId(Optional<String> userPropertyId, Payload data) {
        MqttIdSource source = mqtt.inId();
        switch (source.kind()) {
            case PROPERTY:
                return userPropertyId.filter(v -> !v.isEmpty());
            case JSON:
                JsonValue value = data.value();
                if (value instanceof JsonObject object && object.containsKey(source.name())) {
                    JsonValue field = object.get(source.name());
                    String id = field instanceof JsonString string ? string.getString() : field.toString();
                    return id.isEmpty() || field == JsonValue.NULL ? Optional.empty() : Optional.of(id);
                }
                return Optional.empty();
            default:
                return Optional.empty();
        }
    }

    private static String digest(String head, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(head.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(body);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** The filters the bridge subscribes to: shared among the nodes when they share an engine and speak MQTT 5. */
    static List<String> subscriptions(DuplexConfig.Mqtt mqtt, boolean shared) {
        return mqtt.inFilters().stream().map(f -> shared ? "$share/" + mqtt.inGroup() + "/" + f : f.toString()).toList();
    }
}
