package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplex.testing.RedisServer;
import io.duplex.testing.Rest;
import io.duplex.testing.TestServer;
import io.duplex.testing.WsClient;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
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
                        publishOverRest(rest, channels.get((i + restId) % CHANNELS), restId, i);
                    }
                }));
                WsClient ws = WsClient.connect(node.ws());
                clients.add(ws);
                int wsId = publisher++;
                running.add(publishers.submit(() -> publishOverWebSocket(ws, channels, wsId)));
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

    /**
     * Publishes as a careful client does: with an idempotency key, again with the same key while the node answers
     * engine_unavailable (a loaded machine can stall Redis past the command timeout). The key makes the retry safe, so
     * the exactly-once assertions below still hold, and are tested through the retry.
     */
    private static void publishOverRest(Rest rest, String channel, int publisher, int n) {
        String body = "{\"data\":" + data(publisher, n) + "}";
        await().atMost(DELIVERY).until(() -> {
            try (Response response = rest.target("channels/" + channel + "/messages").request()
                    .header("Idempotency-Key", key(publisher, n)).post(Entity.json(body))) {
                if (response.getStatus() == 503) {
                    return false;
                }
                assertEquals(201, response.getStatus(), () -> "publish answered " + response.getStatus() + ": "
                        + response.readEntity(String.class));
                return true;
            }
        });
    }

    /**
     * Sends every publish without waiting for each reply (the node handles a stream of publishes from one connection),
     * then sends again, with the same key and a new command id, each one answered engine_unavailable.
     */
    private static void publishOverWebSocket(WsClient ws, List<String> channels, int publisher) {
        Map<Integer, Integer> messageOfCommand = new HashMap<>();
        int nextId = 1_000_000; // apart from the ids WsClient gives its own commands
        for (int i = 0; i < MESSAGES_PER_PUBLISHER; i++) {
            messageOfCommand.put(nextId, i);
            sendPublish(ws, nextId++, channels.get((i + publisher) % CHANNELS), publisher, i);
        }
        Set<Integer> published = new HashSet<>();
        int read = 0;
        while (published.size() < MESSAGES_PER_PUBLISHER) {
            int from = read;
            List<JsonObject> replies = await().atMost(DELIVERY).until(() -> {
                List<JsonObject> all = replies(ws);
                return all.subList(from, all.size());
            }, r -> !r.isEmpty());
            read += replies.size();
            for (JsonObject reply : replies) {
                int message = messageOfCommand.get(reply.getInt("id"));
                if ("published".equals(reply.getString("type"))) {
                    published.add(message);
                } else {
                    assertEquals("engine_unavailable", reply.getString("code"), () -> "publish refused: " + reply);
                    messageOfCommand.put(nextId, message);
                    sendPublish(ws, nextId++, channels.get((message + publisher) % CHANNELS), publisher, message);
                }
            }
        }
    }

    private static List<JsonObject> replies(WsClient ws) {
        return ws.frames().stream().filter(f -> f.get("id") instanceof JsonNumber && f.getInt("id") >= 1_000_000).toList();
    }

    private static void sendPublish(WsClient ws, int id, String channel, int publisher, int n) {
        ws.send("{\"id\":" + id + ",\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":" + data(publisher, n)
                + ",\"idempotencyKey\":\"" + key(publisher, n) + "\"}");
    }

    private static String key(int publisher, int n) {
        return "scale-" + publisher + "-" + n;
    }

    private static String data(int publisher, int n) {
        return "{\"p\":" + publisher + ",\"n\":" + n + "}";
    }
}
