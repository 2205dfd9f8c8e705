package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplex.testing.RawWebSocket;
import io.duplex.testing.Rest;
import io.duplex.testing.TestServer;
import io.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One client that stops reading is disconnected with 4002, alone; the publisher and the others never wait for it. On
 * both ways of writing frames (ws.api): Jetty's own API, several frames per write, and the standard one.
 */
class SlowConsumerIT {
    private static final String PAYLOAD = "\"" + "x".repeat(10_000) + "\"";
    /** How far the publisher may run ahead of the fast client: well within its queue's 200 messages. */
    private static final int AHEAD = 100;

    @ParameterizedTest(name = "ws.api={0}")
    @ValueSource(strings = {"native", "standard"})
    void aClientThatStopsReadingIsDisconnectedAloneWhenItsQueueOverflows(String api) throws Exception {
        // Room for a burst of 200 messages: a client that reads keeps up; one that reads nothing overflows.
        try (TestServer server = TestServer.start("publish.rate", "1000000", "outbound.queue.messages", "200", "outbound.queue.bytes", "2MiB",
                "outbound.send.timeout", "1h", "ws.api", api);
                Rest rest = new Rest(server.api());
                WsClient fast = WsClient.connect(server.ws());
                WsClient publisher = WsClient.connect(server.ws());
                RawWebSocket slow = RawWebSocket.openWithReceiveBuffer(server.ws(), 4096)) {
            fast.subscribe("slow.channel");
            String slowId = slow.connectAndSubscribe("slow.channel");
            // From here on the slow client reads nothing.

            int count = 1000;
            for (int i = 0; i < count; i++) {
                if (i >= AHEAD && i % 50 == 0) {
                    // The fast client reads, but on a loaded machine it may not be scheduled for a while: the test
                    // keeps the publisher at most AHEAD + 50 messages ahead of it, so only the slow client overflows.
                    fast.awaitMessages("slow.channel", i - AHEAD);
                }
                publisher.send("{\"id\":" + (10 + i) + ",\"type\":\"publish\",\"channel\":\"slow.channel\",\"data\":" + PAYLOAD + "}");
            }
            publisher.awaitFrame(f -> f.getInt("id", -1) == 10 + count - 1);

            List<JsonObject> received = fast.awaitMessages("slow.channel", count);
            assertEquals(LongStream.rangeClosed(1, count).boxed().toList(), RecoveryIT.offsets(received));
            await().atMost(WsClient.TIMEOUT).until(() -> {
                try (Response response = rest.get("sessions/" + slowId)) {
                    return response.getStatus() == 404;
                }
            });
            assertEquals(1, rest.getJson("channels/slow.channel").getInt("subscribers"), "only the fast client is left");

            // Once it reads again, what it finds after the data it was sent is a close with 4002.
            assertEquals(4002, slow.readUntil(RawWebSocket.CLOSE).closeCode());
        }
    }

    @ParameterizedTest(name = "ws.api={0}")
    @ValueSource(strings = {"native", "standard"})
    void aSendThatStallsLongerThanTheSendTimeoutDisconnectsWith4002(String api) throws Exception {
        // Queue bounds too large to overflow here: only the stalled send can give the slow client away.
        try (TestServer server = TestServer.start("publish.rate", "1000000", "outbound.send.timeout", "500ms", "outbound.queue.messages", "1000000",
                "outbound.queue.bytes", "1GiB", "ws.api", api);
                Rest rest = new Rest(server.api());
                WsClient publisher = WsClient.connect(server.ws());
                RawWebSocket slow = RawWebSocket.openWithReceiveBuffer(server.ws(), 4096)) {
            String slowId = slow.connectAndSubscribe("stall.channel");
            int count = 1000;
            for (int i = 0; i < count; i++) {
                publisher.send("{\"id\":" + (10 + i) + ",\"type\":\"publish\",\"channel\":\"stall.channel\",\"data\":" + PAYLOAD + "}");
            }
            publisher.awaitFrame(f -> f.getInt("id", -1) == 10 + count - 1);
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                try (Response response = rest.get("sessions/" + slowId)) {
                    return response.getStatus() == 404;
                }
            });
            assertEquals(4002, slow.readUntil(RawWebSocket.CLOSE).closeCode());
        }
    }
}
