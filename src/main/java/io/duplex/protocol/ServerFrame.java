package io.duplex.protocol;

import io.duplex.broker.PresenceEntry;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import io.duplex.error.ErrorCode;
import java.time.Instant;
import java.util.List;

/** A frame the server sends: a reply to a command (it carries the command's id) or a push (no id). */
public sealed interface ServerFrame {

    /** The frame as JSON text, exactly as protocol v1 spells it. */
    String toJson();

    /** Reply to {@code connect}; {@code expiresAt} is when the connection's token expires, null without one. */
    record Connected(long id, String session, String version, Instant expiresAt) implements ServerFrame {
        public Connected(long id, String session, String version) {
            this(id, session, version, null);
        }

        @Override
        public String toJson() {
            JsonText json = new JsonText(96).field("id", id).field("type", "connected").field("session", session)
                    .field("version", version);
            if (expiresAt != null) {
                json.field("expiresAt", expiresAt.toString());
            }
            return json.close();
        }
    }

    /** Reply to {@code refresh}: the fresh token is in force until {@code expiresAt}. */
    record Refreshed(long id, Instant expiresAt) implements ServerFrame {
        @Override
        public String toJson() {
            return new JsonText(80).field("id", id).field("type", "refreshed").field("expiresAt", expiresAt.toString()).close();
        }
    }

    /** Push: the connection's token expires at {@code expiresAt}; send {@code refresh} with a fresh one before then, or be closed with 4003. */
    record RefreshHint(Instant expiresAt) implements ServerFrame {
        @Override
        public String toJson() {
            return new JsonText(64).field("type", "refresh").field("expiresAt", expiresAt.toString()).close();
        }
    }

    /** Reply to {@code subscribe}; {@code recovered} is null when the client asked for no recovery. */
    record Subscribed(long id, ChannelName channel, String epoch, long offset, Boolean recovered) implements ServerFrame {
        @Override
        public String toJson() {
            JsonText json = new JsonText(96).field("id", id).field("type", "subscribed")
                    .field("channel", channel.value()).field("epoch", epoch).field("offset", offset);
            if (recovered != null) {
                json.field("recovered", recovered.booleanValue());
            }
            return json.close();
        }
    }

    /** Reply to {@code unsubscribe}. */
    record Unsubscribed(long id, ChannelName channel) implements ServerFrame {
        @Override
        public String toJson() {
            return new JsonText(64).field("id", id).field("type", "unsubscribed").field("channel", channel.value()).close();
        }
    }

    /**
     * Reply to {@code publish}: where the message landed. {@code duplicate} (sent only when true) says it had been
     * published before with the same idempotency key: this is where it landed then, and it was not delivered again.
     */
    record Published(long id, ChannelName channel, String epoch, long offset, boolean duplicate) implements ServerFrame {
        @Override
        public String toJson() {
            JsonText json = new JsonText(112).field("id", id).field("type", "published").field("channel", channel.value())
                    .field("epoch", epoch).field("offset", offset);
            if (duplicate) {
                json.field("duplicate", true);
            }
            return json.close();
        }
    }

    /** Reply to {@code presence}. */
    record PresenceList(long id, ChannelName channel, List<PresenceEntry> sessions) implements ServerFrame {
        public PresenceList {
            sessions = List.copyOf(sessions);
        }

        @Override
        public String toJson() {
            StringBuilder array = new StringBuilder(2 + sessions.size() * 48).append('[');
            for (int i = 0; i < sessions.size(); i++) {
                PresenceEntry entry = sessions.get(i);
                if (i > 0) {
                    array.append(',');
                }
                array.append(new JsonText(48).field("session", entry.session()).field("user", entry.user()).close());
            }
            array.append(']');
            return new JsonText(64 + array.length()).field("id", id).field("type", "presence")
                    .field("channel", channel.value()).raw("sessions", array.toString()).close();
        }
    }

    /** Reply to {@code ping}. */
    record Pong(long id) implements ServerFrame {
        @Override
        public String toJson() {
            return new JsonText(32).field("id", id).field("type", "pong").close();
        }
    }

    /** An error, in reply to a command ({@code id} set) or to a frame that could not be read ({@code id} null). */
    record ErrorReply(Long id, ErrorCode code, String message) implements ServerFrame {
        @Override
        public String toJson() {
            return new JsonText(96 + message.length()).field("id", id).field("type", "error")
                    .field("code", code.code()).field("message", message).close();
        }
    }

    /** A channel message pushed to a subscriber. Serialised once per publish and shared by every subscriber. */
    record MessagePush(ChannelMessage message) implements ServerFrame {
        @Override
        public String toJson() {
            return new JsonText(64 + message.data().json().length()).field("type", "message")
                    .field("channel", message.channel().value()).field("offset", message.offset())
                    .raw("data", message.data().json()).close();
        }
    }

    /** A message sent to one session over REST. */
    record DirectPush(Payload data) implements ServerFrame {
        @Override
        public String toJson() {
            return new JsonText(32 + data.json().length()).field("type", "direct").raw("data", data.json()).close();
        }
    }
}
