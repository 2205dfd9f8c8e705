package io.duplex.bridge.kafka;

import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import io.duplex.config.ChannelTemplate;
import io.duplex.config.DuplexConfig;
import io.duplex.config.TopicRoute;
import io.duplex.error.DuplexException;
import io.duplex.protocol.JsonInput;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * What a Kafka record becomes: the channel its topic's route names, and its value as the message's data — JSON when it
 * is JSON, else the text as a JSON string. A record that cannot become a message is refused with a reason, which the
 * bridge logs before it skips the record.
 */
final class RecordMapping {
    private final DuplexConfig.Kafka kafka;
    private final Map<String, Optional<TopicRoute>> routes = new ConcurrentHashMap<>();

    RecordMapping(DuplexConfig.Kafka kafka) {
        this.kafka = kafka;
    }

    /** A record that cannot become a message, and why. */
    static final class Unfit extends Exception {
        private static final long serialVersionUID = 1L;

        Unfit(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The message a record becomes. */
    record Message(ChannelName channel, Payload data) {
    }

    Message map(ConsumerRecord<byte[], byte[]> record) throws Unfit {
        return new Message(channel(record), data(record.value()));
    }

    private ChannelName channel(ConsumerRecord<byte[], byte[]> record) throws Unfit {
        TopicRoute route = routes.computeIfAbsent(record.topic(), kafka::route)
                .orElseThrow(() -> new Unfit("kafka.in.channels has no route for topic " + record.topic()));
        String name;
        try {
            name = route.template().render(part -> value(part, record));
        } catch (MissingValue e) {
            throw new Unfit(e.getMessage() + ", which the channel template " + route.template() + " needs");
        }
        try {
            return ChannelName.of(name);
        } catch (DuplexException e) {
            throw new Unfit("its channel from " + route.template() + " is not valid: " + e.getMessage());
        }
    }

    /** Thrown out of a template's rendering: the record lacks what a placeholder asks for. */
    private static final class MissingValue extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingValue(String message) {
            super(message, null, false, false);
        }
    }

    private static String value(ChannelTemplate.Part part, ConsumerRecord<byte[], byte[]> record) {
        switch (part.name()) {
            case "topic":
                return record.topic();
            case "partition":
                return Integer.toString(record.partition());
            case "key":
                if (record.key() == null) {
                    throw new MissingValue("the record has no key");
                }
                return text(record.key()).orElseThrow(() -> new MissingValue("the record's key is not UTF-8 text"));
            default:
                Header header = record.headers().lastHeader(part.argument());
                if (header == null || header.value() == null) {
                    throw new MissingValue("the record has no header " + part.argument());
                }
                return text(header.value()).orElseThrow(() -> new MissingValue("header " + part.argument() + " is not UTF-8 text"));
        }
    }

    /** The value as message data: a JSON value as it is, other text as a JSON string. */
    private static Payload data(byte[] value) throws Unfit {
        if (value == null) {
            throw new Unfit("it has no value (a tombstone)");
        }
        String text = text(value).orElseThrow(() -> new Unfit("its value is neither JSON nor UTF-8 text"));
        if (!text.isBlank() && looksLikeJson(text)) {
            try {
                JsonValue json = JsonInput.readValue(text, "record value");
                if (json == JsonValue.NULL) {
                    throw new Unfit("its value is JSON null, which is no message");
                }
                return Payload.of(json);
            } catch (DuplexException e) {
                // Not JSON after all ("{oops"): the text itself is the message.
            }
        }
        return Payload.of(Json.createValue(text));
    }

    /** Whether the text could be a JSON value: text that starts otherwise is a plain string, without a parse attempt. */
    private static boolean looksLikeJson(String text) {
        char first = text.strip().charAt(0);
        return first == '{' || first == '[' || first == '"' || first == '-' || (first >= '0' && first <= '9')
                || text.strip().equals("true") || text.strip().equals("false") || text.strip().equals("null");
    }

    private static Optional<String> text(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
