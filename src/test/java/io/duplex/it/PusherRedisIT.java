package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pusher.rest.Pusher;
import com.pusher.rest.data.PresenceUser;
import io.duplex.testing.RedisServer;
import io.duplex.testing.TestServer;
import io.duplex.testing.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two nodes on one Redis: Pusher presence members, member events, triggers and client events across nodes. */
class PusherRedisIT {
    private static final String APPS = "1001:duplex-app-key:duplex-app-secret-0123";
    private static RedisServer redis;
    private static TestServer a;
    private static TestServer b;
    private static Pusher sdkA;
    private static Pusher sdkB;

    @BeforeAll
    static void startTwoNodesOnOneRedis() {
        redis = RedisServer.start();
        a = TestServer.start("engine", "redis", "redis.uri", redis.uri(), "pusher.apps", APPS);
        b = TestServer.start("engine", "redis", "redis.uri", redis.uri(), "pusher.apps", APPS);
        sdkA = sdk(a);
        sdkB = sdk(b);
    }

    @AfterAll
    static void stopAll() throws Exception {
        sdkA.close();
        sdkB.close();
        a.close();
        b.close();
        redis.close();
    }

    private static Pusher sdk(TestServer node) {
        Pusher pusher = new Pusher("1001", "duplex-app-key", "duplex-app-secret-0123");
        pusher.setHost(node.uri().getAuthority());
        pusher.setEncrypted(false);
        return pusher;
    }

    private static JsonObject parse(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }

    private static boolean is(JsonObject frame, String event) {
        return event.equals(frame.getString("event", ""));
    }

    /** A raw Pusher socket on the node, joined to the presence channel as the user; returns its subscription_succeeded data. */
    private static JsonObject join(WsClient client, Pusher sdk, String channel, String user) {
        JsonObject established = client.awaitFrame(f -> is(f, "pusher:connection_established"));
        String socketId = parse(established.getString("data")).getString("socket_id");
        JsonObject auth = parse(sdk.authenticate(socketId, channel, new PresenceUser(user, Map.of("name", "User " + user))));
        client.send(Json.createObjectBuilder().add("event", "pusher:subscribe").add("data", Json.createObjectBuilder()
                .add("channel", channel).add("auth", auth.getString("auth")).add("channel_data", auth.getString("channel_data")))
                .build().toString());
        return parse(client.awaitFrame(f -> is(f, "pusher_internal:subscription_succeeded")).getString("data"));
    }

    private static WsClient socket(TestServer node) {
        return WsClient.open(URI.create("ws://" + node.uri().getAuthority() + "/app/duplex-app-key?protocol=7&client=java&version=1"));
    }

    @Test
    void presenceMembersAndEventsCrossNodes() {
        try (WsClient alice = socket(a); WsClient bob = socket(b)) {
            assertEquals(1, join(alice, sdkA, "presence-room", "alice").getJsonObject("presence").getInt("count"));
            JsonObject presence = join(bob, sdkB, "presence-room", "bob").getJsonObject("presence");
            assertEquals(2, presence.getInt("count"));
            assertEquals("User alice", presence.getJsonObject("hash").getJsonObject("alice").getString("name"));
            JsonObject added = parse(alice.awaitFrame(f -> is(f, "pusher_internal:member_added")).getString("data"));
            assertEquals("bob", added.getString("user_id"));
            assertEquals("User bob", added.getJsonObject("user_info").getString("name"));

            assertEquals(200, sdkB.trigger("presence-room", "news", Map.of("n", 1)).getHttpStatus());
            assertEquals(1, parse(alice.awaitFrame(f -> is(f, "news")).getString("data")).getInt("n"));
            bob.send("{\"event\":\"client-wave\",\"channel\":\"presence-room\",\"data\":{\"hi\":true}}");
            assertEquals("bob", alice.awaitFrame(f -> is(f, "client-wave")).getString("user_id"));
            JsonObject users = parse(sdkA.get("/channels/presence-room/users").getMessage());
            assertEquals(2, users.getJsonArray("users").size(), users.toString());

            bob.close();
            JsonObject removed = parse(alice.awaitFrame(f -> is(f, "pusher_internal:member_removed")).getString("data"));
            assertEquals("bob", removed.getString("user_id"));
        }
    }
}
