package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pusher.rest.Pusher;
import com.pusher.rest.data.Event;
import com.pusher.rest.data.Result;
import io.duplex.testing.Rest;
import io.duplex.testing.TestServer;
import io.duplex.testing.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Pusher door as Pusher's Java server SDK ({@code com.pusher:pusher-http-java}) and a raw WebSocket see it: one
 * channel space with Duplex's own protocol and REST, Pusher's answers to bad input, and its close codes.
 */
class PusherProtocolIT {
    private static final String APP_ID = "1001";
    private static final String KEY = "duplex-app-key";
    private static final String SECRET = "duplex-app-secret-0123";
    private static TestServer server;
    private static Pusher sdk;

    @BeforeAll
    static void start() {
        server = TestServer.start("pusher.apps", APP_ID + ":" + KEY + ":" + SECRET + ",1002:off-key:off-secret-0123:disabled,"
                + "1003:small-key:small-secret-0123:connections=1");
        sdk = sdk(SECRET);
    }

    @AfterAll
    static void stop() throws Exception {
        sdk.close();
        server.close();
    }

    private static Pusher sdk(String secret) {
        Pusher pusher = new Pusher(APP_ID, KEY, secret);
        pusher.setHost(server.uri().getAuthority());
        pusher.setEncrypted(false);
        return pusher;
    }

    private static WsClient socket(String key, String query) {
        return WsClient.open(URI.create("ws://" + server.uri().getAuthority() + "/app/" + key + query));
    }

    private static WsClient connected() {
        WsClient client = socket(KEY, "?protocol=7&client=java&version=1.0");
        client.awaitFrame(f -> "pusher:connection_established".equals(f.getString("event", "")));
        return client;
    }

    private static String socketId(WsClient client) {
        JsonObject established = client.awaitFrame(f -> "pusher:connection_established".equals(f.getString("event", "")));
        return parse(established.getString("data")).getString("socket_id");
    }

    private static JsonObject parse(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }

    private static JsonObject error(WsClient client, int nth) {
        return client.awaitFrame(f -> "pusher:error".equals(f.getString("event", ""))
                && client.frames().stream().filter(g -> "pusher:error".equals(g.getString("event", ""))).toList().indexOf(f) == nth);
    }

    /** The connection is alive: a pusher:ping is answered with a pusher:pong. */
    private static void stillAnswers(WsClient client) {
        long pongs = client.frames().stream().filter(f -> "pusher:pong".equals(f.getString("event", ""))).count();
        client.send("{\"event\":\"pusher:ping\",\"data\":{}}");
        client.awaitFrame(f -> "pusher:pong".equals(f.getString("event", ""))
                && client.frames().stream().filter(g -> "pusher:pong".equals(g.getString("event", ""))).count() > pongs);
    }

    @Test
    void anEventTriggeredThroughTheSdkReachesADuplexSubscriberAndIsInHistory() {
        try (WsClient duplex = WsClient.connect(server.ws()); Rest rest = new Rest(server.api())) {
            duplex.subscribe("pusher:1001:orders");
            Result result = sdk.trigger("orders", "order-placed", Map.of("id", 7));
            assertEquals(200, result.getHttpStatus(), result.getMessage());
            JsonObject data = duplex.awaitMessages("pusher:1001:orders", 1).get(0).getJsonObject("data");
            assertEquals("order-placed", data.getString("event"));
            assertEquals(7, parse(data.getString("data")).getInt("id"));
            JsonObject history = rest.getJson("channels/pusher:1001:orders/messages");
            assertEquals(data, history.getJsonArray("messages").getJsonObject(0).getJsonObject("data"));
        }
    }

    @Test
    void theSdkTriggersBatchesAndQueriesChannels() {
        try (WsClient client = connected()) {
            client.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"java-batch\"}}");
            client.awaitFrame(f -> "pusher_internal:subscription_succeeded".equals(f.getString("event", "")));
            Result batch = sdk.trigger(List.of(new Event("java-batch", "one", "1"), new Event("java-batch", "two", "2")));
            assertEquals(200, batch.getHttpStatus(), batch.getMessage());
            client.awaitFrame(f -> "two".equals(f.getString("event", "")));
            List<String> events = client.frames().stream().map(f -> f.getString("event", "")).filter(e -> !e.startsWith("pusher")).toList();
            assertEquals(List.of("one", "two"), events);

            Result channels = sdk.get("/channels");
            assertEquals(200, channels.getHttpStatus(), channels.getMessage());
            assertTrue(parse(channels.getMessage()).getJsonObject("channels").containsKey("java-batch"), channels.getMessage());
            Result channel = sdk.get("/channels/java-batch", Map.of("info", "subscription_count"));
            assertEquals(1, parse(channel.getMessage()).getInt("subscription_count"), channel.getMessage());
        }
    }

    @Test
    void aWrongSecretIsRefusedWith401() throws Exception {
        try (Pusher wrong = sdk("not-the-app-secret")) {
            assertEquals(401, wrong.trigger("orders", "x", "{}").getHttpStatus());
            assertEquals(401, wrong.get("/channels").getHttpStatus());
        }
    }

    @Test
    void aDisabledAppIsRefusedWith403AndAnUnknownOneWith404() throws Exception {
        try (Pusher disabled = new Pusher("1002", "off-key", "off-secret-0123"); Pusher unknown = new Pusher("9", "k", "secret-123")) {
            disabled.setHost(server.uri().getAuthority());
            disabled.setEncrypted(false);
            unknown.setHost(server.uri().getAuthority());
            unknown.setEncrypted(false);
            assertEquals(403, disabled.trigger("orders", "x", "{}").getHttpStatus());
            assertEquals(404, unknown.trigger("orders", "x", "{}").getHttpStatus());
        }
    }

    @Test
    void badInputIsAnsweredWithPusherErrorsAndTheConnectionCarriesOn() {
        try (WsClient client = connected()) {
            String socketId = socketId(client);
            assertTrue(socketId.matches("\\d+\\.\\d+"), socketId);
            client.send("{not json");
            assertTrue(error(client, 0).getJsonObject("data").isNull("code"));
            client.send("{\"event\":\"pusher:nonsense\",\"data\":{}}");
            assertTrue(error(client, 1).getJsonObject("data").getString("message").contains("Unsupported event"));
            client.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"private-x\",\"auth\":\"" + KEY + ":00\"}}");
            assertTrue(error(client, 2).getJsonObject("data").getString("message").startsWith("Invalid signature"));
            stillAnswers(client);

            String auth = parse(sdk.authenticate(socketId, "private-x")).getString("auth");
            client.send("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"private-x\",\"auth\":\"" + auth + "\"}}");
            client.awaitFrame(f -> "pusher_internal:subscription_succeeded".equals(f.getString("event", ""))
                    && "private-x".equals(f.getString("channel", "")));
            String big = "x".repeat(11 * 1024);
            client.send("{\"event\":\"client-big\",\"channel\":\"private-x\",\"data\":\"" + big + "\"}");
            assertEquals(4301, error(client, 3).getJsonObject("data").getInt("code"));
            for (int i = 0; i < 12; i++) {
                client.send("{\"event\":\"client-fast\",\"channel\":\"private-x\",\"data\":{}}");
            }
            JsonObject limited = error(client, 4).getJsonObject("data");
            assertEquals(4301, limited.getInt("code"));
            assertTrue(limited.getString("message").contains("rate limit"), limited.toString());
            stillAnswers(client);
            assertTrue(client.isOpen());
        }
    }

    @Test
    void socketsThatCannotBeServedAreClosedWithPushersCodes() {
        try (WsClient unknown = socket("no-such-key", "?protocol=7");
                WsClient disabled = socket("off-key", "?protocol=7");
                WsClient noVersion = socket(KEY, "");
                WsClient oldVersion = socket(KEY, "?protocol=3");
                WsClient first = socket("small-key", "?protocol=7")) {
            assertEquals(4001, unknown.awaitClose().getCloseCode().getCode());
            assertEquals(4003, disabled.awaitClose().getCloseCode().getCode());
            assertEquals(4008, noVersion.awaitClose().getCloseCode().getCode());
            assertEquals(4007, oldVersion.awaitClose().getCloseCode().getCode());
            first.awaitFrame(f -> "pusher:connection_established".equals(f.getString("event", "")));
            try (WsClient second = socket("small-key", "?protocol=7")) {
                assertEquals(4004, second.awaitClose().getCloseCode().getCode());
            }
        }
    }

    @Test
    void randomAndMutatedFramesAreAnsweredAndTheConnectionAndNodeCarryOn() {
        long seed = System.nanoTime();
        java.util.Random random = new java.util.Random(seed);
        List<String> valid = List.of("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"fuzz\"}}",
                "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"presence-fuzz\",\"auth\":\"k:s\",\"channel_data\":\"{}\"}}",
                "{\"event\":\"pusher:unsubscribe\",\"data\":{\"channel\":\"fuzz\"}}",
                "{\"event\":\"client-x\",\"channel\":\"private-fuzz\",\"data\":{\"a\":[1,2,{}]}}",
                "{\"event\":\"pusher:signin\",\"data\":{\"auth\":\"k:s\",\"user_data\":\"{\\\"id\\\":\\\"u\\\"}\"}}",
                "{\"event\":\"pusher:ping\",\"data\":{}}");
        String alphabet = "{}[]\":,\\ abcpusher-_:.@#=;0123456789\u00e9\u2028\u0000";
        try (WsClient client = connected()) {
            for (int i = 0; i < 600; i++) {
                StringBuilder frame = new StringBuilder(valid.get(random.nextInt(valid.size())));
                int edits = random.nextInt(4);
                for (int e = 0; e < edits && frame.length() > 0; e++) {
                    int at = random.nextInt(frame.length());
                    switch (random.nextInt(3)) {
                        case 0 -> frame.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        case 1 -> frame.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        default -> frame.setLength(at);
                    }
                }
                client.send(frame.toString());
            }
            stillAnswers(client);
            assertTrue(client.isOpen(), "seed " + seed);
        }
        try (WsClient another = connected()) {
            stillAnswers(another);
        }
    }

    @Test
    void aBodyOverBatchMaxBytesIsRefusedWith413BeforeItIsRead() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(server.uri().resolve("apps/1001/events"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"data\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}"))
                .build();
        assertEquals(413, http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
    }
}
