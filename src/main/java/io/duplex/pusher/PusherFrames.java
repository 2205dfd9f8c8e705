package io.duplex.pusher;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/** The frames the server sends a Pusher client that are not channel events: protocol 7's own vocabulary. */
public final class PusherFrames {
    private PusherFrames() {
    }

    /** The first frame: the socket id, and after how many seconds of silence the client should ping. */
    public static String connectionEstablished(String socketId, long activityTimeoutSeconds) {
        String data = Json.createObjectBuilder().add("socket_id", socketId).add("activity_timeout", activityTimeoutSeconds)
                .build().toString();
        return event("pusher:connection_established", null, data);
    }

    /** {@code pusher:error}; its data is an object (not a string), {@code code} null for errors without a code. */
    public static String error(PusherError error) {
        JsonObjectBuilder data = Json.createObjectBuilder();
        if (error.code() == null) {
            data.addNull("code");
        } else {
            data.add("code", error.code());
        }
        data.add("message", error.getMessage());
        return Json.createObjectBuilder().add("event", "pusher:error").add("data", data).build().toString();
    }

    public static String ping() {
        return "{\"event\":\"pusher:ping\",\"data\":{}}";
    }

    public static String pong() {
        return "{\"event\":\"pusher:pong\",\"data\":{}}";
    }

    /** The subscription is made: {@code data} is {@code {}}, or the presence object of a presence channel. */
    public static String subscriptionSucceeded(String channel, JsonObject data) {
        return event("pusher_internal:subscription_succeeded", channel, data == null ? "{}" : data.toString());
    }

    public static String signinSuccess(String userData) {
        return event("pusher:signin_success", null, Json.createObjectBuilder().add("user_data", userData).build().toString());
    }

    /** An event whose data is a JSON text, sent as a string, as protocol 7 has it. */
    static String event(String event, String channel, String data) {
        JsonObjectBuilder object = Json.createObjectBuilder().add("event", event);
        if (channel != null) {
            object.add("channel", channel);
        }
        return object.add("data", data).build().toString();
    }
}
