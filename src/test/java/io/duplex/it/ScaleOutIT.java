package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplex.testing.RedisServer;
import io.duplex.testing.Rest;
import io.duplex.testing.TestServer;
import io.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Three nodes on one Redis, many channels, publishers on every node through both doors at once: every subscriber on
 * every node gets every message exactly once, per channel in offset order, and all of them in the same order.
 */
class ScaleOutIT {
    private static final int NODES = 3;
    private static final int CHANNELS = 12;
    private static final int SUBSCRIBERS_PER_NODE = 2;
    private static final int MESSAGES_PER_PUBLISHER = 300;
    private static final Duration DELIVERY = Duration.ofSeconds(60);

    @Test
    void everySubscriberOnEveryNodeGetsEveryMessageOnceInTheSameOrder() throws Exception {
        List<String> channels = new ArrayList<>();
        for (int c = 0; c < CHANNELS; c++) {
            channels.add("it.scale." + c);
        }
        List<TestServer> nodes = new ArrayList<>();
        List<WsClient> clients = new ArrayList<>();
        List<Rest> rests = new ArrayList<>();
        ExecutorService publishers = Executors.newFixedThreadPool(NODES * 2);
        try (RedisServer redis = RedisServer.start()) {
            for (int n = 0; n < NODES; n++) {
                nodes.add(TestServer.start("engine", "redis", "redis.uri", redis.uri(), "publish.rate", "1000000"));
            }
            List<WsClient> subscribers = new ArrayList<>();
            for (TestServer node : nodes) {
                for (int s = 0; s < SUBSCRIBERS_PER_NODE; s++) {
                    WsClient subscriber = WsClient.connect(node.ws());
                    clients.add(subscriber);
                    for (String channel : channels) {
                        subscriber.subscribe(channel);
                    }
                    subscribers.add(subscriber);
                }
            }

            // On every node, one publisher over REST and one over WebSocket, all at once.
            List<Future<?>> running = new ArrayList<>();
            int publisher = 0;
            for (TestServer node : nodes) {
                Rest rest = new Rest(node.api());
                rests.add(rest);
                int restId = publisher++;
                running.add(publishers.submit(() -> {
                    for (int i = 0; i < MESSAGES_PER_PUBLISHER; i++) {
                        rest.publish(channels.get((i + restId) % CHANNELS), data(restId, i));
                    }
                }));
                WsClient ws = WsClient.connect(node.ws());
                clients.add(ws);
                int wsId = publisher++;
                running.add(publishers.submit(() -> {
                    // Sent without waiting for each reply: the node handles a stream of publishes from one connection.
                    for (int i = 0; i < MESSAGES_PER_PUBLISHER; i++) {
                        ws.send("{\"id\":" + i + ",\"type\":\"publish\",\"channel\":\"" + channels.get((i + wsId) % CHANNELS)
                                + "\",\"data\":" + data(wsId, i) + "}");
                    }
                    await().atMost(DELIVERY).until(() -> ws.frames().stream()
                            .filter(f -> "published".equals(f.getString("type", ""))).count() == MESSAGES_PER_PUBLISHER);
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            int total = publisher * MESSAGES_PER_PUBLISHER;

            Map<String, List<String>> firstOrder = new HashMap<>();
            for (WsClient subscriber : subscribers) {
                await().atMost(DELIVERY).until(() -> subscriber.frames().stream()
                        .filter(f -> "message".equals(f.getString("type", ""))).count(), n -> n >= total);
                Set<String> seen = new HashSet<>();
                int received = 0;
                for (String channel : channels) {
                    List<JsonObject> messages = subscriber.messages(channel);
                    received += messages.size();
                    assertEquals(LongStream.rangeClosed(1, messages.size()).boxed().toList(), RecoveryIT.offsets(messages),
                            "offsets of " + channel + " one by one from 1, each once");
                    List<String> order = messages.stream().map(m -> m.get("data").toString()).toList();
                    seen.addAll(order);
                    List<String> expected = firstOrder.putIfAbsent(channel, order);
                    if (expected != null) {
                        assertEquals(expected, order, "every subscriber on every node sees " + channel + " in one order");
                    }
                }
                assertEquals(total, received, "messages received by one subscriber");
                assertEquals(total, seen.size(), "distinct messages received by one subscriber");
            }
        } finally {
            publishers.shutdownNow();
            clients.forEach(WsClient::close);
            rests.forEach(Rest::close);
            nodes.forEach(TestServer::close);
        }
    }

    private static String data(int publisher, int n) {
        return "{\"p\":" + publisher + ",\"n\":" + n + "}";
    }
}
