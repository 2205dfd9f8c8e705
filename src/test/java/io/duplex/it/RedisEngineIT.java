package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.RedisServer;
import io.duplex.testing.Rest;
import io.duplex.testing.TestServer;
import io.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
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
        await().atMost(Duration.ofSeconds(15)).until(() -> restA.healthStatus() == 200 && restB.healthStatus() == 200);
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
    void aClientsPublishesSentWithoutWaitingAreAnsweredAndDeliveredInTheOrderSent() {
        String channel = "it.redis.pipelined";
        int count = 500;
        try (WsClient subscriber = WsClient.connect(b.ws()); WsClient publisher = WsClient.connect(a.ws())) {
            subscriber.subscribe(channel);
            // More than a connection may have unanswered at once: the node reads on as the engine answers.
            for (int i = 1; i <= count; i++) {
                publisher.send("{\"id\":" + i + ",\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":{\"n\":" + i + "}}");
            }
            await().atMost(WsClient.TIMEOUT).until(() -> replies(publisher).size() == count);
            List<JsonObject> replies = replies(publisher);
            assertEquals(LongStream.rangeClosed(1, count).boxed().toList(),
                    replies.stream().map(r -> r.getJsonNumber("id").longValue()).toList(), "replies in the order sent");
            assertEquals(LongStream.rangeClosed(1, count).boxed().toList(),
                    replies.stream().map(r -> r.getJsonNumber("offset").longValue()).toList(), "offsets in the order sent");
            List<JsonObject> messages = subscriber.awaitMessages(channel, count);
            assertEquals(IntStream.rangeClosed(1, count).boxed().toList(),
                    messages.stream().map(m -> m.getJsonObject("data").getInt("n")).toList());
        }
    }

    private static List<JsonObject> replies(WsClient client) {
        return client.frames().stream().filter(f -> "published".equals(f.getString("type", ""))).toList();
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
    void healthSaysRedisAndIs503WhileRedisIsDownSessionsStayAndARedisBackEmptyIsToldToSubscribers() {
        JsonObject up = restA.getJson("health");
        assertEquals("redis", up.getString("engine"));
        assertEquals("up", up.getString("status"));
        String channel = "it.redis.outage";
        try (WsClient subscriber = WsClient.connect(a.ws())) {
            String epoch = subscriber.subscribe(channel).getString("epoch");
            restB.publish(channel, "\"before\"");
            subscriber.awaitMessages(channel, 1);

            redis.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> restA.healthStatus() == 503 && restB.healthStatus() == 503);
            try (Response health = restA.get("health")) {
                JsonObject down = Rest.body(health);
                assertEquals("redis", down.getString("engine"), down::toString);
                assertEquals("down", down.getString("status"), down::toString);
            }
            try (Response refused = restB.post("channels/" + channel + "/messages", "{\"data\":1}")) {
                assertEquals(503, refused.getStatus());
                assertEquals("engine_unavailable", Rest.body(refused).getString("code"));
            }
            assertTrue(subscriber.isOpen(), "a session stays connected while Redis is away");

            // This Redis keeps nothing on disk: it comes back empty, the channel's history is gone, and the node that
            // re-subscribes finds a new epoch. The subscriber is told (4006) rather than shown offset 1 after offset 1.
            redis.startAgain();
            await().atMost(Duration.ofSeconds(15)).until(() -> restA.healthStatus() == 200 && restB.healthStatus() == 200);
            assertEquals(4006, subscriber.awaitClose().getCloseCode().getCode());

            try (WsClient again = WsClient.connect(a.ws())) {
                JsonObject resubscribed = again.subscribe(channel, epoch, 1);
                assertFalse(resubscribed.getBoolean("recovered"), resubscribed::toString);
                restB.publish(channel, "\"again\"");
                assertEquals("again", again.awaitMessages(channel, 1).get(0).getString("data"));
            }
        }
    }

    @Test
    void aSubscriberWhoseChannelLostItsHistoryIsClosedWith4006AndTheResubscribeSaysNotRecovered() {
        String channel = "it.redis.flushed";
        String oldEpoch;
        JsonObject first;
        try (WsClient subscriber = WsClient.connect(a.ws())) {
            oldEpoch = subscriber.subscribe(channel).getString("epoch");
            restB.publish(channel, "1");
            restB.publish(channel, "2");
            subscriber.awaitMessages(channel, 2);

            redis.flushAll();
            first = restB.publish(channel, "3");
            assertNotEquals(oldEpoch, first.getString("epoch"), "a channel whose history was lost starts a new epoch");
            assertEquals(1, first.getJsonNumber("offset").longValue());

            CloseReason closed = subscriber.awaitClose();
            assertEquals(4006, closed.getCloseCode().getCode(), closed::toString);
            assertEquals(List.of(1L, 2L), RecoveryIT.offsets(subscriber.messages(channel)),
                    "offset 1 of the new epoch is never shown after offset 2 of the old one");
        }
        try (WsClient again = WsClient.connect(b.ws())) {
            JsonObject resubscribed = again.subscribe(channel, oldEpoch, 2);
            assertFalse(resubscribed.getBoolean("recovered"), resubscribed::toString);
            assertEquals(first.getString("epoch"), resubscribed.getString("epoch"));
            assertEquals(1, resubscribed.getJsonNumber("offset").longValue());
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
}
