package io.duplex.pusher;

import io.duplex.broker.PresenceEntry;
import io.duplex.broker.PublishRequest;
import io.duplex.channel.Publisher;
import io.duplex.core.Node;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.List;
import java.util.Map;

/**
 * The members of Pusher presence channels: who a socket is on a channel (its {@code channel_data}), the
 * {@code subscription_succeeded} presence object, and {@code pusher_internal:member_added} / {@code member_removed}.
 * Members are the engine's presence entries (user = user_id, info = user_info), so they are the same on every node;
 * member events are published to the channel itself, so the engine carries them to every node's subscribers (and they
 * are in its history), each excluding the socket it is about. A user with several sockets is one member: added with
 * its first, removed with its last.
 */
final class PresenceMembers {
    /** A socket's member on one presence channel. */
    record Member(String userId, String userInfo) {
    }

    private final Node node;
    private final Occupancy occupancy;

    PresenceMembers(Node node, Occupancy occupancy) {
        this.node = node;
        this.occupancy = occupancy;
    }

    /** The member a presence subscription's channel_data names: user_id (a string or a number) and user_info. */
    static Member member(String channelData) {
        if (channelData == null) {
            throw new PusherError(null, "Invalid channel_data: a presence channel needs channel_data with a user_id");
        }
        JsonValue parsed;
        try (JsonReader reader = Json.createReader(new StringReader(channelData))) {
            parsed = reader.readValue();
        } catch (JsonException | IllegalStateException e) {
            throw new PusherError(null, "Invalid channel_data: not JSON");
        }
        if (!(parsed instanceof JsonObject data)) {
            throw new PusherError(null, "Invalid channel_data: not a JSON object");
        }
        JsonValue id = data.get("user_id");
        String userId = id instanceof JsonString s ? s.getString() : id instanceof JsonNumber n ? n.toString() : null;
        if (userId == null || userId.isEmpty() || userId.length() > 128) {
            throw new PusherError(null, "Invalid channel_data: user_id must be a string of 1 to 128 characters");
        }
        JsonValue info = data.get("user_info");
        return new Member(userId, info == null ? null : info.toString());
    }

    /** The user id of a pusher:signin's user_data: its {@code id}. */
    static String userId(String userData) {
        try (JsonReader reader = Json.createReader(new StringReader(userData))) {
            if (reader.readValue() instanceof JsonObject data && data.get("id") instanceof JsonString id && !id.getString().isEmpty()) {
                return id.getString();
            }
        } catch (JsonException | IllegalStateException e) {
            // answered below
        }
        throw new PusherError(null, "Invalid user_data: a JSON object with an id is required");
    }

    /**
     * Reads the channel's members before the socket joins: the subscription_succeeded data (with the joining member),
     * and whether the user was already a member (then no member_added is due).
     */
    Joining joining(PusherChannel channel, Member member) {
        Map<String, String> members = Occupancy.members(occupancy.entries(channel));
        boolean already = members.containsKey(member.userId());
        members.putIfAbsent(member.userId(), member.userInfo());
        JsonArrayBuilder ids = Json.createArrayBuilder();
        JsonObjectBuilder hash = Json.createObjectBuilder();
        members.forEach((id, info) -> {
            ids.add(id);
            hash.add(id, info == null ? JsonValue.NULL : parse(info));
        });
        JsonObject presence = Json.createObjectBuilder().add("ids", ids).add("hash", hash).add("count", members.size()).build();
        return new Joining(Json.createObjectBuilder().add("presence", presence).build(), already);
    }

    /** What {@link #joining} read. */
    record Joining(JsonObject subscribedData, boolean alreadyMember) {
    }

    /** Tells the channel's other sockets that the member joined. */
    void added(PusherChannel channel, Member member, String socketId) {
        JsonObjectBuilder data = Json.createObjectBuilder().add("user_id", member.userId());
        data.add("user_info", member.userInfo() == null ? JsonValue.NULL : parse(member.userInfo()));
        publish(channel, new PusherEvent("pusher_internal:member_added", data.build().toString(), null, socketId));
    }

    /** After a socket left the channel: tells the others the member left, unless the user has another socket there. */
    void left(PusherChannel channel, String userId, String socketId) {
        List<PresenceEntry> entries = occupancy.entries(channel);
        if (entries.stream().noneMatch(e -> userId.equals(e.user()))) {
            String data = Json.createObjectBuilder().add("user_id", userId).build().toString();
            publish(channel, new PusherEvent("pusher_internal:member_removed", data, null, socketId));
        }
    }

    private void publish(PusherChannel channel, PusherEvent event) {
        node.publish(PublishRequest.of(channel.duplex(), event.toDuplex(), Publisher.of(PusherDoor.DOOR, null)));
    }

    private static JsonValue parse(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readValue();
        }
    }
}
