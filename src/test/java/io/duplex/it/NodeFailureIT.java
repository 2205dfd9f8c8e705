package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.RedisServer;
import io.duplex.testing.Rest;
import io.duplex.testing.TestServer;
import io.duplex.testing.WarProcess;
import io.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node killed outright (kill -9: no 1001, no clean-up) while another goes on: its clients reconnect to the other
 * node and recover from history with no gap, and its sessions leave presence within {@code presence.ttl}.
 */
class NodeFailureIT {
    private static final String PRESENCE_TTL = "2s";

    @TempDir
    Path tmp;

    @Test
    void clientsOfAKilledNodeRecoverOnAnotherWithNoGapAndLeavePresence() throws Exception {
        String channel = "it.failure.orders";
        try (RedisServer redis = RedisServer.start();
                WarProcess doomed = WarProcess.start(tmp, "--port", "0", "--engine", "redis", "--redis-uri", redis.uri(),
                        "--presence-ttl", PRESENCE_TTL);
                TestServer survivor = TestServer.start("engine", "redis", "redis.uri", redis.uri(), "presence.ttl", PRESENCE_TTL);
                Rest rest = new Rest(survivor.api())) {
            URI doomedWs = URI.create("ws://" + doomed.awaitListening().getAuthority() + "/ws");

            String epoch;
            String session;
            try (WsClient client = WsClient.connect(doomedWs)) {
                session = client.sessionId();
                epoch = client.subscribe(channel).getString("epoch");
                publish(rest, channel, 1, 50);
                client.awaitMessages(channel, 50);
                await().atMost(WsClient.TIMEOUT).until(() -> presentSessions(rest, channel).contains(session));

                doomed.process().destroyForcibly(); // SIGKILL
                client.awaitClose();
                publish(rest, channel, 51, 100);
                assertEquals(50, client.messages(channel).size());
            }

            // Within the TTL (and one refresh period of slack) the dead node's session is gone from presence.
            await().atMost(Duration.ofSeconds(10)).until(() -> !presentSessions(rest, channel).contains(session));

            try (WsClient reconnected = WsClient.connect(survivor.ws())) {
                JsonObject subscribed = reconnected.subscribe(channel, epoch, 50);
                assertTrue(subscribed.getBoolean("recovered"), subscribed::toString);
                assertEquals(epoch, subscribed.getString("epoch"), "the epoch lives in Redis, not in the dead node");
                assertEquals(100, subscribed.getJsonNumber("offset").longValue());
                publish(rest, channel, 101, 110);
                await().atMost(WsClient.TIMEOUT).until(() -> reconnected.messages(channel).size(), n -> n >= 60);
                List<JsonObject> messages = reconnected.messages(channel);
                assertEquals(LongStream.rangeClosed(51, 110).boxed().toList(), RecoveryIT.offsets(messages));
                assertEquals(LongStream.rangeClosed(51, 110).boxed().toList(),
                        messages.stream().map(m -> m.getJsonNumber("data").longValue()).toList());
            }
        }
    }

    private static void publish(Rest rest, String channel, int from, int to) {
        for (int i = from; i <= to; i++) {
            rest.publish(channel, String.valueOf(i));
        }
    }

    private static List<String> presentSessions(Rest rest, String channel) {
        return rest.getJson("channels/" + channel + "/presence").getJsonArray("sessions").getValuesAs(JsonObject.class)
                .stream().map(s -> s.getString("session")).toList();
    }
}
