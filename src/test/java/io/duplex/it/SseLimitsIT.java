package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.EventStream;
import io.duplex.testing.Rest;
import io.duplex.testing.RunningNode;
import io.duplex.testing.TestServer;
import io.duplex.testing.Tokens;
import io.duplex.testing.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An event stream asks what every door asks: credentials (a Bearer token or API key, or a token in the URL for
 * EventSource), permission to read each channel, a place within the user's connections; and a reader that stops reading
 * is disconnected alone.
 */
class SseLimitsIT {
    static final String SECRET = "s3cret-for-tests-0123456789abcdefghij";
    static final String API_KEY = "key-for-tests-0123456789";
    static final Tokens TOKENS = Tokens.hmac(SECRET);

    @RegisterExtension
    static final RunningNode node = new RunningNode("token.hmac.secret", SECRET, "api.key", API_KEY, "connections.per.user", "2");

    private static String token(String user, String... subscribe) {
        return TOKENS.make(user, Duration.ofMinutes(5), Map.of("subscribe", List.of(subscribe)));
    }

    private static URI events(String pathAndQuery) {
        return node.server().api().resolve(pathAndQuery);
    }

    private static HttpResponse<String> refused(URI uri, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject problem(HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), response::body);
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    @Test
    void aStreamWithoutCredentialsIsRefusedWith401() throws Exception {
        HttpResponse<String> response = refused(events("channels/sse.sec/events"), Map.of());
        assertEquals("unauthorized", problem(response, 401).getString("code"));
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
        assertEquals("unauthorized", problem(refused(events("channels/sse.sec/events?token=not.a.token"), Map.of()), 401)
                .getString("code"));
    }

    @Test
    void eventSourcesTokenInTheUrlOpensAStreamOfItsUser() {
        String token = token("alice", "sse.sec.*");
        try (EventStream stream = EventStream.open(events("channels/sse.sec.a/events?token=" + token), Map.of());
                Rest admin = new Rest(node.server().api(), API_KEY)) {
            assertEquals(200, stream.status());
            stream.awaitEvent(e -> e.event().equals("subscribed"));
            JsonObject session = admin.getJson("sessions/" + stream.header("Duplex-Session"));
            assertEquals("alice", session.getString("user"));
            assertEquals("sse", session.getString("door"));
            admin.publish("sse.sec.a", "{\"for\":\"alice\"}");
            assertEquals("alice", stream.awaitMessages(1).get(0).json().getJsonObject("data").getString("for"));
        }
    }

    @Test
    void aChannelTheCallerMayNotReadIsRefusedWith403() throws Exception {
        String token = token("bob", "sse.sec.*");
        JsonObject problem = problem(refused(events("events?channel=sse.sec.b&channel=private.b"),
                Map.of("Authorization", "Bearer " + token)), 403);
        assertEquals("permission_denied", problem.getString("code"));
        assertTrue(problem.getString("detail").contains("private.b"), problem::toString);
    }

    @Test
    void anApiKeyIsAcceptedAsBearerButNotInTheUrl() throws Exception {
        try (EventStream stream = EventStream.open(events("channels/private.k/events"), Map.of("Authorization", "Bearer " + API_KEY))) {
            assertEquals(200, stream.status());
            stream.awaitEvent(e -> e.event().equals("subscribed"));
        }
        JsonObject problem = problem(refused(events("channels/private.k/events?token=" + URLEncoder.encode(API_KEY, StandardCharsets.UTF_8)),
                Map.of()), 401);
        assertTrue(problem.getString("detail").contains("not accepted in the URL"), problem::toString);
        assertTrue(!problem.toString().contains(API_KEY), "the key is not repeated: " + problem);
    }

    @Test
    void streamsCountAgainstTheUsersConnections() throws Exception {
        String token = token("carol", "sse.sec.*");
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + token);
        try (EventStream first = EventStream.open(events("channels/sse.sec.c/events"), bearer);
                WsClient ws = WsClient.connect(node.ws(), token)) {
            assertEquals(200, first.status());
            JsonObject problem = problem(refused(events("channels/sse.sec.c/events"), bearer), 429);
            assertEquals("limit_exceeded", problem.getString("code"));
        }
        await().atMost(WsClient.TIMEOUT).untilAsserted(() -> {
            try (EventStream again = EventStream.open(events("channels/sse.sec.c/events"), bearer)) {
                assertEquals(200, again.status());
            }
        });
    }

    @Test
    void aReaderThatStopsReadingIsDisconnectedAloneWhenItsQueueOverflows() throws Exception {
        String payload = "\"" + "x".repeat(10_000) + "\"";
        int count = 600;
        try (TestServer server = TestServer.start("outbound.queue.messages", "100", "outbound.queue.bytes", "1MiB",
                "outbound.send.timeout", "1h");
                Rest rest = new Rest(server.api());
                EventStream fast = EventStream.open(server.api().resolve("channels/sse.slow/events"), Map.of());
                Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress(server.uri().getHost(), server.uri().getPort()));
            slow.getOutputStream().write(("GET /api/channels/sse.slow/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String head = readUntil(slow.getInputStream(), "event: subscribed");
            String slowId = head.lines().filter(l -> l.regionMatches(true, 0, "Duplex-Session:", 0, 15))
                    .map(l -> l.substring(15).trim()).findFirst().orElseThrow(() -> new AssertionError(head));
            fast.awaitEvent(e -> e.event().equals("subscribed"));
            // From here on the slow reader reads nothing.
            for (int i = 1; i <= count; i++) {
                if (i > 50 && i % 25 == 0) {
                    fast.awaitMessages(i - 50);
                }
                rest.publish("sse.slow", payload);
            }
            List<EventStream.Event> received = fast.awaitMessages(count);
            assertEquals(LongStream.rangeClosed(1, count).boxed().toList(),
                    received.stream().map(e -> (long) e.json().getInt("offset")).toList());
            await().atMost(WsClient.TIMEOUT).until(() -> {
                try (Response response = rest.get("sessions/" + slowId)) {
                    return response.getStatus() == 404;
                }
            });
            assertEquals(1, rest.getJson("channels/sse.slow").getInt("subscribers"), "only the fast reader is left");
            // Once it reads again, it finds the event that says why the stream ended.
            String rest2 = readUntil(slow.getInputStream(), "event: close");
            assertTrue(rest2.endsWith("event: close"), "ends with the close event");
        }
    }

    /** Reads until the marker; what is returned ends with it (searched from where the last look ended: megabytes may come first). */
    private static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder read = new StringBuilder();
        byte[] buffer = new byte[8192];
        int from = 0;
        while (true) {
            int at = read.indexOf(marker, from);
            if (at >= 0) {
                return read.substring(0, at + marker.length());
            }
            from = Math.max(0, read.length() - marker.length());
            int n = in.read(buffer);
            if (n < 0) {
                throw new AssertionError("the stream ended before '" + marker + "': " + tail(read.toString()));
            }
            read.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        }
    }

    private static String tail(String text) {
        return text.length() > 300 ? "…" + text.substring(text.length() - 300) : text;
    }
}
