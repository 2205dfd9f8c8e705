package io.duplex.protocol;

import io.duplex.error.ErrorCode;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The {@code type} names of protocol v1 commands, each with the decoder of its fields. */
enum CommandType {
    CONNECT("connect") {
        @Override
        Command decode(long id, Fields f) {
            return new Command.Connect(id, f.optionalString("token"));
        }
    },
    SUBSCRIBE("subscribe") {
        @Override
        Command decode(long id, Fields f) {
            return new Command.Subscribe(id, f.channel(), f.optionalPosition("since"));
        }
    },
    UNSUBSCRIBE("unsubscribe") {
        @Override
        Command decode(long id, Fields f) {
            return new Command.Unsubscribe(id, f.channel());
        }
    },
    PUBLISH("publish") {
        @Override
        Command decode(long id, Fields f) {
            return new Command.Publish(id, f.channel(), f.data(), f.optionalIdempotencyKey());
        }
    },
    PRESENCE("presence") {
        @Override
        Command decode(long id, Fields f) {
            return new Command.PresenceQuery(id, f.channel());
        }
    },
    REFRESH("refresh") {
        @Override
        Command decode(long id, Fields f) {
            return new Command.Refresh(id, f.requiredString("token"));
        }
    },
    PING("ping") {
        @Override
        Command decode(long id, Fields f) {
            return new Command.Ping(id);
        }
    };

    private static final String NAMES = Arrays.stream(values()).map(t -> t.wire).collect(Collectors.joining(", "));

    private final String wire;

    CommandType(String wire) {
        this.wire = wire;
    }

    abstract Command decode(long id, Fields fields);

    static CommandType of(Long id, String type) {
        for (CommandType t : values()) {
            if (t.wire.equals(type)) {
                return t;
            }
        }
        String shown = type.length() > 40 ? type.substring(0, 40) + "…" : type;
        throw new FrameException(id, ErrorCode.UNKNOWN_COMMAND, "unknown command '" + shown + "'; the commands are " + NAMES);
    }
}
