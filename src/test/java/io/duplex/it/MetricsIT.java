package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.RawWebSocket;
import io.duplex.testing.Rest;
import io.duplex.testing.Scrape;
import io.duplex.testing.TestServer;
import io.duplex.testing.Tokens;
import io.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A scripted session against a node — clients connect, subscribe, publish through both doors, repeat an idempotent
 * publish, recover, get refused at the door, and one reads so slowly that it is cut with 4002 — and /metrics, scraped
 * from the management port before and after and parsed by Prometheus's own parser, must have moved by exactly what
 * happened: every counter by its count, every gauge to what is open.
 */
class MetricsIT {
    private static final String SECRET = "metrics-secret-0123456789abcdefghijkl";
    private static final String API_KEY = "metrics-key-0123456789";
    private static final Tokens TOKENS = Tokens.hmac(SECRET);
    /** Frames a session may have waiting: small, so that the slow client's overflow drops exactly this many plus one. */
    private static final int QUEUE = 10;
    private static final String ORIGIN = "https://app.example.com";
    private static final String BIG = "\"" + "x".repeat(10_000) + "\"";

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start("token.hmac.secret", SECRET, "api.key", API_KEY, "origins", ORIGIN,
                "management.port", "0", "publish.rate", "1000000", "outbound.queue.messages", String.valueOf(QUEUE),
                "outbound.queue.bytes", "1MiB", "outbound.send.timeout", "1h");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Scrape scrape() {
        return Scrape.get(server.management().resolve("metrics"), null);
    }

    /** A client of the allowed web origin (Tyrus would send the node's own, which the list does not have). */
    private static WsClient connect(String user) {
        return WsClient.connect(server.ws(), token(user), Map.of("Origin", ORIGIN));
    }

    private static String token(String user) {
        return TOKENS.user(user, List.of("m.*"), List.of("m.*"));
    }

    @Test
    void everyCounterMovesByExactlyWhatTheSessionDid() throws Exception {
        Scrape before = scrape();
        Map<Integer, Integer> publishStatuses = new HashMap<>();
        int received;
        List<WsClient> clients = new ArrayList<>();
        try (Rest rest = new Rest(server.api(), API_KEY)) {
            // Connect, subscribe, publish through both doors.
            WsClient subscriber = connect("sub");
            WsClient publisher = connect("pub");
            clients.add(subscriber);
            clients.add(publisher);
            JsonObject subscribed = subscriber.subscribe("m.live");
            String epoch = subscribed.getString("epoch");
            for (int i = 1; i <= 3; i++) {
                publishStatuses.merge(publishOverRest(rest, "m.live", "{\"data\":" + i + "}", null), 1, Integer::sum);
            }
            publisher.publish("m.live", "4");
            publisher.publish("m.live", "5");
            subscriber.awaitMessages("m.live", 5);

            // An idempotent publish, retried: published once, answered twice.
            publishStatuses.merge(publishOverRest(rest, "m.idem", "{\"data\":\"once\"}", "order-1"), 1, Integer::sum);
            publishStatuses.merge(publishOverRest(rest, "m.idem", "{\"data\":\"once\"}", "order-1"), 1, Integer::sum);

            // A recovery (3 missed messages) and one that cannot recover (another epoch).
            WsClient recoverer = connect("rec");
            clients.add(recoverer);
            assertTrue(recoverer.subscribe("m.live", epoch, 2).getBoolean("recovered"));
            recoverer.awaitMessages("m.live", 3);
            assertFalse(recoverer.subscribe("m.other", "not-the-epoch", 1).getBoolean("recovered"));

            // Refused at the door: a foreign web origin (before any frame), and a connect with a bad token.
            try (WsClient foreign = WsClient.open(server.ws(), Map.of("Origin", "https://evil.example"))) {
                assertEquals(1008, foreign.awaitClose().getCloseCode().getCode());
            }
            try (WsClient forger = WsClient.open(server.ws(), Map.of("Origin", ORIGIN))) {
                forger.send("{\"id\":1,\"type\":\"connect\",\"token\":\"" + Tokens.hmac("another-secret-0123456789abcdefghijkl")
                        .user("sub", List.of("m.*"), List.of()) + "\"}");
                assertEquals("unauthorized", forger.awaitClose().getReasonPhrase());
            }

            // A client that stops reading: cut with 4002 when its queue overflows, alone.
            received = slowClientCut(publisher, rest);

            // While the three well-behaved clients are connected: the gauges say what is open.
            Scrape during = scrape();
            assertEquals(3, during.value("duplex_connections_open"));
            assertEquals(3, during.value("duplex_sessions_open"));
            assertEquals(3, during.value("duplex_subscriptions_active"), "m.live twice, m.other once");
            assertEquals(2, during.value("duplex_channels_subscribed"));
            assertEquals(0, during.value("duplex_outbound_queued_frames"));
            assertEquals(0, during.value("duplex_outbound_queued_bytes"));
            assertEquals(1, during.value("duplex_ready"));
        } finally {
            clients.forEach(WsClient::close);
        }
        await().atMost(WsClient.TIMEOUT).until(() -> scrape().value("duplex_connections_open") == 0);

        Scrape after = scrape();
        Function<String[], Double> delta = nameAndLabels -> {
            String name = nameAndLabels[0];
            String[] labels = java.util.Arrays.copyOfRange(nameAndLabels, 1, nameAndLabels.length);
            return after.sum(name, labels) - before.sum(name, labels);
        };
        assertEquals(5, delta.apply(new String[] {"duplex_connections_opened_total"}),
                "subscriber, publisher, recoverer, the bad token, the slow client; not the refused origin");
        assertEquals(3, delta.apply(new String[] {"duplex_connections_closed_total", "code", "1000", "reason", "transport"}));
        assertEquals(1, delta.apply(new String[] {"duplex_connections_closed_total", "code", "1008", "reason", "unauthorized"}));
        assertEquals(1, delta.apply(new String[] {"duplex_connections_closed_total", "code", "4002", "reason", "too_slow"}));
        assertEquals(5, delta.apply(new String[] {"duplex_connections_closed_total"}), "every connection opened was closed once");
        assertEquals(1, delta.apply(new String[] {"duplex_handshakes_refused_total", "reason", "origin"}));
        assertEquals(1, delta.apply(new String[] {"duplex_handshakes_refused_total", "reason", "auth"}));
        assertEquals(2, delta.apply(new String[] {"duplex_handshakes_refused_total"}));

        assertEquals(4, delta.apply(new String[] {"duplex_messages_published_total", "door", "rest"}), "3 + the idempotent one");
        assertEquals(2 + SLOW_MESSAGES, delta.apply(new String[] {"duplex_messages_published_total", "door", "ws"}));
        assertEquals(1, delta.apply(new String[] {"duplex_messages_duplicates_total", "door", "rest"}));
        assertEquals(0, delta.apply(new String[] {"duplex_messages_duplicates_total", "door", "ws"}));

        // The slow client was handed `received` messages that it read, and QUEUE more that were dropped with the one that
        // overflowed its queue: dropped = QUEUE + 1, delivered = 5 (m.live) + received + QUEUE.
        assertEquals(QUEUE + 1, delta.apply(new String[] {"duplex_outbound_frames_dropped_total"}));
        assertEquals(5 + received + QUEUE, delta.apply(new String[] {"duplex_messages_delivered_total"}));
        assertEquals(1, delta.apply(new String[] {"duplex_outbound_overflows_total"}));

        assertEquals(1, delta.apply(new String[] {"duplex_recoveries_total", "result", "recovered"}));
        assertEquals(1, delta.apply(new String[] {"duplex_recoveries_total", "result", "not_recovered"}));
        assertEquals(3, delta.apply(new String[] {"duplex_recovery_messages_total"}));
        assertEquals(0, delta.apply(new String[] {"duplex_gaps_total"}));

        // REST latency, by Jersey's own timer, labelled with the operation and the status each request got.
        publishStatuses.forEach((status, count) -> assertEquals((double) count,
                delta.apply(new String[] {"http_server_requests_seconds_count", "operation", "publishMessage", "status",
                    String.valueOf(status), "uri", "/api/channels/{channel}/messages"}), "publishMessage answered " + status));
        assertEquals(5, delta.apply(new String[] {"http_server_requests_seconds_count", "operation", "publishMessage"}));

        assertEquals(0, after.value("duplex_sessions_open"));
        assertEquals(0, after.value("duplex_subscriptions_active"));
        assertEquals(1, after.value("duplex_engine_up", "engine", "memory"));
        assertEquals(1, after.value("duplex_info", "engine", "memory", "mode", "dev"));
    }

    private static final int SLOW_MESSAGES = 1000;

    /** Subscribes a client that then reads nothing, publishes until it is cut, and returns how many messages it had been sent. */
    private static int slowClientCut(WsClient publisher, Rest rest) throws Exception {
        try (RawWebSocket slow = RawWebSocket.openWithReceiveBuffer(server.ws(), 4096)) {
            slow.sendText("{\"id\":1,\"type\":\"connect\",\"token\":\"" + token("slow") + "\"}");
            String session = slow.readFrame().text().replaceAll(".*\"session\":\"([^\"]+)\".*", "$1");
            slow.sendText("{\"id\":2,\"type\":\"subscribe\",\"channel\":\"m.slow\"}");
            assertTrue(slow.readFrame().text().contains("\"subscribed\""));
            // From here on it reads nothing.
            for (int i = 0; i < SLOW_MESSAGES; i++) {
                publisher.send("{\"id\":" + (100 + i) + ",\"type\":\"publish\",\"channel\":\"m.slow\",\"data\":" + BIG + "}");
            }
            publisher.awaitFrame(f -> f.getInt("id", -1) == 100 + SLOW_MESSAGES - 1);
            await().atMost(WsClient.TIMEOUT).until(() -> {
                try (Response response = rest.get("sessions/" + session)) {
                    return response.getStatus() == 404;
                }
            });
            // What it finds when it reads again: the messages it had been sent, then the 4002 close.
            int messages = 0;
            while (true) {
                RawWebSocket.Frame frame = slow.readFrame();
                if (frame.opcode() == RawWebSocket.CLOSE) {
                    assertEquals(4002, frame.closeCode());
                    return messages;
                }
                assertTrue(frame.text().startsWith("{\"type\":\"message\""), frame.text());
                messages++;
            }
        }
    }

    private static int publishOverRest(Rest rest, String channel, String body, String idempotencyKey) {
        var request = rest.target("channels/" + channel + "/messages").request(MediaType.APPLICATION_JSON);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        try (Response response = request.post(Entity.json(body))) {
            assertEquals(2, response.getStatus() / 100, () -> response.readEntity(String.class));
            return response.getStatus();
        }
    }

    @Test
    void aCloseCodeAClientChoosesIsCountedUnderOtherNotAsALabelOfItsChoosing() throws Exception {
        Scrape before = scrape();
        try (RawWebSocket client = RawWebSocket.open(server.ws())) {
            client.sendText("{\"id\":1,\"type\":\"connect\",\"token\":\"" + token("chooser") + "\"}");
            assertTrue(client.readFrame().text().contains("\"connected\""));
            client.sendFrame(RawWebSocket.CLOSE, new byte[] {0x0d, 0x05}); // 3333: a code of the client's own
            assertEquals(RawWebSocket.CLOSE, client.readUntil(RawWebSocket.CLOSE).opcode());
        }
        await().atMost(WsClient.TIMEOUT).untilAsserted(() -> assertEquals(1,
                scrape().sum("duplex_connections_closed_total", "code", "other", "reason", "transport")
                        - before.sum("duplex_connections_closed_total", "code", "other", "reason", "transport")));
        assertFalse(scrape().samples().stream().anyMatch(s -> "3333".equals(s.labels().get("code"))));
    }

    @Test
    void duplexMetricsFollowPrometheusNamingAsPromtoolJudgesThem() {
        Scrape scrape = scrape();
        assertEquals(List.of(), scrape.lint("duplex_"), "promtool check metrics on Duplex's own metrics");
        for (String name : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                "process_uptime_seconds", "jetty_threads_busy", "jetty_threads_config_max", "jetty_connections_current",
                "jetty_connections_opened_total", "duplex_info")) {
            assertTrue(scrape.has(name), name + " is served");
        }
        for (Scrape.Sample sample : scrape.samples()) {
            for (String label : List.of("channel", "session", "user", "remote")) {
                assertFalse(sample.labels().containsKey(label), sample + ": no label names a channel, session, user or address");
            }
        }
    }

    @Test
    void theMainPortDoesNotServeTheMetricsWhenAManagementPortDoes() {
        URI main = server.uri().resolve("metrics");
        assertEquals(404, Scrape.fetch(main, API_KEY).statusCode(), "the port a proxy exposes has no /metrics");
        assertEquals(404, Scrape.fetch(server.management().resolve("api/sessions"), API_KEY).statusCode(),
                "the management port serves /metrics and health only");
        assertEquals(200, Scrape.fetch(server.management().resolve("api/health/ready"), null).statusCode());
        assertEquals(200, Scrape.fetch(server.management().resolve("api/health/live"), null).statusCode());
    }
}
