package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.RedisServer;
import io.duplex.testing.Rest;
import io.duplex.testing.TestServer;
import io.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Idempotent publishing through both doors, on the memory engine and on two nodes of the Redis engine: a publish retried
 * with its key (after the client gave up waiting) is delivered once, a key expires after its window, and a key reused
 * for another message is refused.
 */
class IdempotentPublishIT {

    /**
     * The client sends its publish and gives up before the answer (its timeout fired, the connection dropped): it cannot
     * know whether the message was published. It retries, with the same key, on the other node.
     */
    @Test
    void aPublishRetriedOnAnotherNodeAfterTheClientGaveUpIsDeliveredOnce() throws Exception {
        try (RedisServer redis = RedisServer.start();
                TestServer a = TestServer.start("engine", "redis", "redis.uri", redis.uri());
                TestServer b = TestServer.start("engine", "redis", "redis.uri", redis.uri());
                Rest restA = new Rest(a.api());
                Rest restB = new Rest(b.api());
                WsClient onA = WsClient.connect(a.ws());
                WsClient onB = WsClient.connect(b.ws())) {
            String channel = "idem.retry";
            onA.subscribe(channel);
            onB.subscribe(channel);

            sendAndHangUp(a.api().resolve("channels/" + channel + "/messages"), "order-17", "{\"data\":{\"order\":17}}");
            await().atMost(Duration.ofSeconds(10)).until(() -> restB.getJson("channels/" + channel).getJsonNumber("offset").longValue() == 1);

            try (Response retry = restB.target("channels/" + channel + "/messages").request()
                    .header("Idempotency-Key", "order-17").post(Entity.entity("{\"data\":{\"order\":17}}", MediaType.APPLICATION_JSON))) {
                assertEquals(201, retry.getStatus());
                assertEquals("true", retry.getHeaderString("Idempotent-Replayed"));
                assertEquals(1, Rest.body(retry).getJsonNumber("offset").longValue());
            }
            restA.publish(channel, "\"after\"");
            for (WsClient subscriber : List.of(onA, onB)) {
                List<JsonObject> messages = subscriber.awaitMessages(channel, 2);
                assertEquals(List.of(1L, 2L), messages.stream().map(m -> m.getJsonNumber("offset").longValue()).toList());
                assertEquals("\"after\"", messages.get(1).get("data").toString(), "the retry was not delivered again");
            }
        }
    }

    /** Writes a whole publish request and closes the connection without reading the answer. */
    private static void sendAndHangUp(URI uri, String key, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getAuthority() + "\r\nContent-Type: application/json\r\n"
                    + "Idempotency-Key: \"" + key + "\"\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
        }
    }

    @Test
    void aKeyIsNewAgainOnceItsWindowHasPassed() {
        try (TestServer node = TestServer.start("publish.idempotency.window", "1s"); Rest rest = new Rest(node.api())) {
            JsonObject first = publishWithKey(rest, "idem.window", "k", "1");
            assertEquals(1, first.getJsonNumber("offset").longValue());
            // Within the window every retry is answered with offset 1; once it has passed, the key publishes anew.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> publishWithKey(rest, "idem.window", "k", "1").getJsonNumber("offset").longValue() == 2);
            assertEquals(2, rest.getJson("channels/idem.window").getJsonNumber("offset").longValue());
        }
    }

    private static JsonObject publishWithKey(Rest rest, String channel, String key, String data) {
        try (Response response = rest.target("channels/" + channel + "/messages").request().header("Idempotency-Key", key)
                .post(Entity.entity("{\"data\":" + data + "}", MediaType.APPLICATION_JSON))) {
            assertEquals(201, response.getStatus());
            return Rest.body(response);
        }
    }

    @Test
    void overWebSocketARetriedKeyIsAnsweredDuplicateAndAReusedOneIsAnError() {
        try (TestServer node = TestServer.start(); WsClient ws = WsClient.connect(node.ws())) {
            ws.subscribe("idem.ws");
            JsonObject first = ws.request("{\"type\":\"publish\",\"channel\":\"idem.ws\",\"data\":[1],\"idempotencyKey\":\"p-1\"}");
            JsonObject retry = ws.request("{\"type\":\"publish\",\"channel\":\"idem.ws\",\"data\":[1],\"idempotencyKey\":\"p-1\"}");
            assertEquals("published", retry.getString("type"));
            assertFalse(first.containsKey("duplicate"), "a first publish carries no duplicate field: " + first);
            assertTrue(retry.getBoolean("duplicate"));
            assertEquals(first.getJsonNumber("offset"), retry.getJsonNumber("offset"));
            JsonObject reused = ws.request("{\"type\":\"publish\",\"channel\":\"idem.ws\",\"data\":[2],\"idempotencyKey\":\"p-1\"}");
            assertEquals("error", reused.getString("type"));
            assertEquals("idempotency_key_reused", reused.getString("code"));
            JsonObject bad = ws.request("{\"type\":\"publish\",\"channel\":\"idem.ws\",\"data\":1,\"idempotencyKey\":\"\"}");
            assertEquals("bad_request", bad.getString("code"));
            ws.publish("idem.ws", "3");
            assertEquals(List.of(1L, 2L), ws.awaitMessages("idem.ws", 2).stream()
                    .map(m -> m.getJsonNumber("offset").longValue()).toList(), "delivered once; the reused key published nothing");
            assertTrue(ws.isOpen(), "a reused key is an error, not abuse");
        }
    }

    @Test
    void aKeyReusedOverRestIsRefusedWith422AndTheSameKeyOverWebSocketIsAnotherKey() {
        try (TestServer node = TestServer.start(); Rest rest = new Rest(node.api()); WsClient ws = WsClient.connect(node.ws())) {
            publishWithKey(rest, "idem.rest", "shared", "1");
            try (Response reused = rest.target("channels/idem.rest/messages").request().header("Idempotency-Key", "shared")
                    .post(Entity.entity("{\"data\":2}", MediaType.APPLICATION_JSON))) {
                assertEquals(422, reused.getStatus());
                assertEquals("application/problem+json", reused.getMediaType().toString());
                assertEquals("idempotency_key_reused", Rest.body(reused).getString("code"));
            }
            JsonObject overWs = ws.request("{\"type\":\"publish\",\"channel\":\"idem.rest\",\"data\":1,\"idempotencyKey\":\"shared\"}");
            assertEquals(2, overWs.getJsonNumber("offset").longValue(), "keys of the two doors do not meet");
        }
    }
}
