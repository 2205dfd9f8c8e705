package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.Rest;
import io.duplex.testing.RunningNode;
import io.duplex.testing.TestServer;
import io.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A client that reconnects with its last {epoch, offset} gets exactly what it missed, then live messages. */
class RecoveryIT {
    @RegisterExtension
    // History and queue hold all 4,500 messages of the busy-channel test: a subscriber that took long to join under
    // load must still be recoverable, since the seam, not retention, is what that test checks (retention has its own).
    static final RunningNode node = new RunningNode("history.size", "10000", "publish.rate", "1000000", "outbound.queue.messages", "20000");

    @Test
    void reconnectingWithSinceGetsExactlyTheMissedMessagesThenLiveOnes() {
        String epoch;
        try (WsClient first = node.connect()) {
            epoch = first.subscribe("recover.basic").getString("epoch");
            LongStream.rangeClosed(1, 3).forEach(i -> node.rest().publish("recover.basic", "{\"n\":" + i + "}"));
            assertEquals(List.of(1L, 2L, 3L), offsets(first.awaitMessages("recover.basic", 3)));
        }
        LongStream.rangeClosed(4, 6).forEach(i -> node.rest().publish("recover.basic", "{\"n\":" + i + "}"));

        try (WsClient again = node.connect()) {
            JsonObject reply = again.subscribe("recover.basic", epoch, 3);
            assertTrue(reply.getBoolean("recovered"), reply::toString);
            assertEquals(6, reply.getJsonNumber("offset").longValue());
            node.rest().publish("recover.basic", "{\"n\":7}");
            List<JsonObject> messages = again.awaitMessages("recover.basic", 4);
            assertEquals(List.of(4L, 5L, 6L, 7L), offsets(messages));
            assertEquals(4, messages.get(0).getJsonObject("data").getInt("n"));
            List<JsonObject> frames = again.frames();
            assertTrue(frames.indexOf(reply) < frames.indexOf(messages.get(0)), "the reply comes before the recovered messages");
        }
    }

    @Test
    void recoveryWhilePublishersRunAtFullSpeedHasNoGapAndNoDuplicate() throws Exception {
        String channel = "recover.busy";
        int perPublisher = 1500;
        ExecutorService pool = Executors.newFixedThreadPool(3);
        AtomicBoolean failed = new AtomicBoolean();
        List<WsClient> subscribers = new ArrayList<>();
        List<Long> sinces = new ArrayList<>();
        try (WsClient wsPublisher = node.connect()) {
            String epoch = wsPublisher.subscribe(channel).getString("epoch");
            List<Future<?>> publishers = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                publishers.add(pool.submit(() -> {
                    for (int i = 0; i < perPublisher && !failed.get(); i++) {
                        node.rest().publish(channel, "{\"rest\":" + i + "}");
                    }
                }));
            }
            publishers.add(pool.submit(() -> {
                for (int i = 0; i < perPublisher && !failed.get(); i++) {
                    wsPublisher.send("{\"id\":" + (100_000 + i) + ",\"type\":\"publish\",\"channel\":\"" + channel
                            + "\",\"data\":{\"ws\":" + i + "}}");
                }
            }));
            // Subscribers join while the publishers run, each asking to recover from a little behind the head.
            for (int s = 0; s < 12; s++) {
                long head = node.rest().getJson("channels/" + channel).getJsonNumber("offset").longValue();
                long since = Math.max(0, head - 3 * s);
                WsClient subscriber = node.connect();
                JsonObject reply = subscriber.subscribe(channel, epoch, since);
                assertTrue(reply.getBoolean("recovered"), reply::toString);
                subscribers.add(subscriber);
                sinces.add(since);
            }
            for (Future<?> publisher : publishers) {
                publisher.get(60, TimeUnit.SECONDS);
            }
            long total = 3L * perPublisher;
            wsPublisher.awaitMessages(channel, (int) total);
            for (int s = 0; s < subscribers.size(); s++) {
                long since = sinces.get(s);
                List<JsonObject> got = subscribers.get(s).awaitMessages(channel, (int) (total - since));
                List<Long> expected = LongStream.rangeClosed(since + 1, total).boxed().toList();
                assertEquals(expected, offsets(got), "subscriber " + s + " recovering from " + since);
            }
        } finally {
            failed.set(true);
            pool.shutdownNow();
            subscribers.forEach(WsClient::close);
        }
    }

    @Test
    void aDifferentEpochIsNotRecoveredAndNothingOldIsSent() {
        node.rest().publish("recover.epoch", "1");
        try (WsClient client = node.connect()) {
            JsonObject reply = client.subscribe("recover.epoch", "not-this-history", 0);
            assertFalse(reply.getBoolean("recovered"));
            assertEquals(1, reply.getJsonNumber("offset").longValue());
            node.rest().publish("recover.epoch", "2");
            assertEquals(List.of(2L), offsets(client.awaitMessages("recover.epoch", 1)));
        }
    }

    @Test
    void anOffsetAheadOfTheChannelIsNotRecovered() {
        JsonObject published = node.rest().publish("recover.ahead", "1");
        try (WsClient client = node.connect()) {
            assertFalse(client.subscribe("recover.ahead", published.getString("epoch"), 99).getBoolean("recovered"));
        }
    }

    @Test
    void sinceAtTheLatestOffsetIsRecoveredWithNothingToSend() {
        JsonObject published = node.rest().publish("recover.latest", "1");
        try (WsClient client = node.connect()) {
            JsonObject reply = client.subscribe("recover.latest", published.getString("epoch"), 1);
            assertTrue(reply.getBoolean("recovered"));
            node.rest().publish("recover.latest", "2");
            assertEquals(List.of(2L), offsets(client.awaitMessages("recover.latest", 1)));
        }
    }

    @Test
    void anOffsetPastRetentionByCountIsNotRecovered() {
        try (TestServer small = TestServer.start("history.size", "5"); Rest smallRest = new Rest(small.api());
                WsClient client = WsClient.connect(small.ws())) {
            String epoch = null;
            for (int i = 1; i <= 10; i++) {
                epoch = smallRest.publish("recover.count", "" + i).getString("epoch");
            }
            assertFalse(client.subscribe("recover.count", epoch, 4).getBoolean("recovered"), "message 5 was dropped");
            try (WsClient other = WsClient.connect(small.ws())) {
                assertTrue(other.subscribe("recover.count", epoch, 5).getBoolean("recovered"), "messages 6-10 are kept");
                assertEquals(List.of(6L, 7L, 8L, 9L, 10L), offsets(other.awaitMessages("recover.count", 5)));
            }
        }
    }

    @Test
    void anOffsetPastRetentionByAgeIsNotRecovered() {
        try (TestServer small = TestServer.start("history.ttl", "1s"); Rest smallRest = new Rest(small.api());
                WsClient client = WsClient.connect(small.ws())) {
            String epoch = smallRest.publish("recover.age", "1").getString("epoch");
            smallRest.publish("recover.age", "2");
            await().atMost(WsClient.TIMEOUT).until(() ->
                    smallRest.getJson("channels/recover.age/messages").getJsonArray("messages").isEmpty());
            JsonObject reply = client.subscribe("recover.age", epoch, 1);
            assertFalse(reply.getBoolean("recovered"));
            assertEquals(2, reply.getJsonNumber("offset").longValue(), "offsets survive the messages they counted");
        }
    }

    @Test
    void moreThanHalfTheOutboundQueueIsNotRecovered() {
        try (TestServer small = TestServer.start("outbound.queue.messages", "10"); Rest smallRest = new Rest(small.api());
                WsClient fits = WsClient.connect(small.ws()); WsClient tooMuch = WsClient.connect(small.ws())) {
            String epoch = null;
            for (int i = 1; i <= 6; i++) {
                epoch = smallRest.publish("recover.queue", "" + i).getString("epoch");
            }
            assertTrue(fits.subscribe("recover.queue", epoch, 1).getBoolean("recovered"), "5 messages fit half of 10");
            assertEquals(List.of(2L, 3L, 4L, 5L, 6L), offsets(fits.awaitMessages("recover.queue", 5)));
            assertFalse(tooMuch.subscribe("recover.queue", epoch, 0).getBoolean("recovered"), "6 do not");
            assertTrue(tooMuch.isOpen());
        }
    }

    static List<Long> offsets(List<JsonObject> messages) {
        return messages.stream().map(m -> m.getJsonNumber("offset").longValue()).toList();
    }
}
