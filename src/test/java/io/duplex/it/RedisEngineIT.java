package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.RedisServer;
import io.duplex.testing.Rest;
import io.duplex.testing.TestServer;
import io.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two nodes of the packaged WAR on one Redis: one hub, whichever node a client or a backend talks to. */
class RedisEngineIT {
    private static RedisServer redis;
    private static TestServer a;
    private static TestServer b;
    private static Rest restA;
    private static Rest restB;

    @BeforeAll
    static void startTwoNodesOnOneRedis() {
        redis = RedisServer.start();
        a = TestServer.start("engine", "redis", "redis.uri", redis.uri(), "publish.rate", "1000000");
        b = TestServer.start("engine", "redis", "redis.uri", redis.uri(), "publish.rate", "1000000");
        restA = new Rest(a.api());
        restB = new Rest(b.api());
    }

    @AfterAll
    static void stopAll() {
        restA.close();
        restB.close();
        a.close();
        b.close();
        redis.close();
    }

    @AfterEach
    void redisIsUpAgain() {
        if (redis.pid() < 0) {
            redis.startAgain();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> status(restA) == 200 && status(restB) == 200);
    }

    @Test
    void aWebSocketSubscriberOnOneNodeReceivesInOrderWhatRestPublishesOnTheOther() {
        String channel = "it.redis.order";
        try (WsClient subscriber = WsClient.connect(a.ws())) {
            JsonObject subscribed = subscriber.subscribe(channel);
            assertEquals(0, subscribed.getJsonNumber("offset").longValue());
            for (int i = 1; i <= 300; i++) {
                JsonObject published = restB.publish(channel, "{\"n\":" + i + "}");
                assertEquals(subscribed.getString("epoch"), published.getString("epoch"), "one epoch on every node");
            }
            List<JsonObject> messages = subscriber.awaitMessages(channel, 300);
            assertEquals(LongStream.rangeClosed(1, 300).boxed().toList(), RecoveryIT.offsets(messages));
            assertEquals(IntStream.rangeClosed(1, 300).boxed().toList(),
                    messages.stream().map(m -> m.getJsonObject("data").getInt("n")).toList());
        }
    }

    @Test
    void historyAndPresenceAreTheSameOnEveryNode() {
        String channel = "it.redis.shared";
        restA.publish(channel, "\"first\"");
        restB.publish(channel, "\"second\"");
        assertEquals(restA.getJson("channels/" + channel + "/messages"), restB.getJson("channels/" + channel + "/messages"));
        try (WsClient client = WsClient.connect(a.ws())) {
            client.subscribe(channel);
            await().atMost(WsClient.TIMEOUT).until(() -> restB.getJson("channels/" + channel + "/presence")
                    .getJsonArray("sessions").getValuesAs(JsonObject.class).stream()
                    .anyMatch(s -> s.getString("session").equals(client.sessionId())));
        }
    }

    @Test
    void healthSaysRedisAndIs503WhileRedisIsDownWhileSessionsStayAndDeliveryResumes() {
        JsonObject up = restA.getJson("health");
        assertEquals("redis", up.getString("engine"));
        assertEquals("up", up.getString("status"));
        String channel = "it.redis.outage";
        try (WsClient subscriber = WsClient.connect(a.ws())) {
            subscriber.subscribe(channel);

            redis.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> status(restA) == 503 && status(restB) == 503);
            try (Response health = restA.get("health")) {
                JsonObject down = Rest.body(health);
                assertEquals("redis", down.getString("engine"), down::toString);
                assertEquals("down", down.getString("status"), down::toString);
            }
            try (Response refused = restB.post("channels/" + channel + "/messages", "{\"data\":1}")) {
                assertEquals(503, refused.getStatus());
                assertEquals("engine_unavailable", Rest.body(refused).getString("code"));
            }

            redis.startAgain();
            await().atMost(Duration.ofSeconds(15)).until(() -> status(restA) == 200 && status(restB) == 200);
            assertTrue(subscriber.isOpen(), "a session stays connected while Redis is away");
            // The node re-subscribes within moments of Redis coming back; publish until the first message arrives.
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
                restB.publish(channel, "\"again\"");
                return !subscriber.messages(channel).isEmpty();
            });
        }
    }

    @Test
    void aStoppedNodeLeavesNoRedisThreadBehind() {
        long before = lettuceThreads();
        TestServer c = TestServer.start("engine", "redis", "redis.uri", redis.uri());
        try (Rest restC = new Rest(c.api())) {
            restC.publish("it.redis.threads", "1");
            assertTrue(lettuceThreads() > before, "the test sees the third node's Lettuce threads");
        } finally {
            c.close();
        }
        // An undeployed application must not leave threads running in its container.
        await().atMost(Duration.ofSeconds(10)).until(() -> lettuceThreads() == before);
    }

    private static long lettuceThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("lettuce-")).count();
    }

    private static int status(Rest rest) {
        try (Response response = rest.get("health")) {
            return response.getStatus();
        }
    }
}
