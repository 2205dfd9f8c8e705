package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.EventStream;
import io.duplex.testing.RawWebSocket;
import io.duplex.testing.Tokens;
import io.duplex.testing.WarProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar duplex.war --mode production}: it refuses to start without what it needs, refuses plain
 * transport behind a trusted proxy, and never writes a secret, a token or a wrong key to its output.
 */
class ProductionModeIT {
    private static final String SECRET = "production-secret-0123456789abcdefghij";
    private static final String API_KEY = "production-api-key-0123456789";
    private static final String WRONG_KEY = "wrong-api-key-9876543210fedcba";

    @TempDir
    Path tmp;

    @Test
    void withNothingConfiguredItRefusesToStartAndSaysWhatIsMissing() {
        try (WarProcess war = WarProcess.start(tmp, "--mode", "production", "--port", "0")) {
            assertEquals(2, war.awaitExit());
            String text = String.join("\n", war.output());
            assertTrue(text.contains("production mode needs a token key (token.hmac.secret, token.public.key or token.jwks) and an API key (api.key)"), text);
            assertTrue(text.contains("production mode needs TLS"), text);
            assertFalse(text.contains("Exception"), "no stack trace: " + text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aFullRunBehindATrustedProxyNeverLogsASecret() throws Exception {
        Tokens tokens = Tokens.hmac(SECRET);
        String token = tokens.user("alice", List.of("news"), List.of("news"));
        String expired = tokens.make("alice", Duration.ofSeconds(-10));
        String forged = Tokens.hmac("forged-secret-0123456789abcdefghijklm").make("alice", Duration.ofMinutes(5));
        try (WarProcess war = WarProcess.start(tmp, "--mode", "production", "--port", "0", "--proxy-trusted", "true",
                "--token-hmac-secret", SECRET, "--api-key", API_KEY, "--log-level", "debug")) {
            URI base = war.awaitListening();
            HttpClient http = HttpClient.newHttpClient();
            URI publish = base.resolve("api/channels/news/messages");
            assertEquals(201, post(http, publish, API_KEY, true), "the API key, through the proxy (https)");
            assertEquals(403, post(http, publish, API_KEY, false), "plain HTTP is refused in production mode");
            assertEquals(401, post(http, publish, WRONG_KEY, true));
            assertEquals(401, post(http, publish, expired, true));
            assertEquals(201, post(http, publish, token, true), "alice may publish to news");
            assertEquals(200, http.send(HttpRequest.newBuilder(base.resolve("api/health")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode(), "health answers plain HTTP, for load balancers");

            URI ws = URI.create("ws://" + base.getAuthority() + "/ws");
            try (RawWebSocket plain = RawWebSocket.open(ws)) {
                RawWebSocket.Frame close = plain.readFrame();
                assertEquals(1008, close.closeCode(), "plain ws:// is closed at once");
                assertTrue(close.text().endsWith("use wss://"), close.text());
            }
            Map<String, String> viaProxy = Map.of("X-Forwarded-Proto", "https");
            for (String bad : List.of(expired, forged, WRONG_KEY)) {
                try (RawWebSocket socket = RawWebSocket.open(ws, viaProxy)) {
                    socket.sendText("{\"id\":1,\"type\":\"connect\",\"token\":\"" + bad + "\"}");
                    assertTrue(socket.readFrame().text().contains("unauthorized"));
                    assertEquals(1008, socket.readUntil(RawWebSocket.CLOSE).closeCode());
                }
            }
            try (RawWebSocket socket = RawWebSocket.open(ws, viaProxy)) {
                socket.sendText("{\"id\":1,\"type\":\"connect\",\"token\":\"" + token + "\"}");
                assertTrue(socket.readFrame().text().contains("\"connected\""));
                socket.sendText("{\"id\":2,\"type\":\"refresh\",\"token\":\"" + forged + "\"}");
                assertTrue(socket.readFrame().text().contains("unauthorized"));
            }
            // An event stream: https only; EventSource's ?token= works through the proxy, and is never logged (below).
            URI events = base.resolve("api/channels/news/events?token=" + token);
            assertEquals(403, http.send(HttpRequest.newBuilder(events).build(), HttpResponse.BodyHandlers.discarding()).statusCode(),
                    "plain HTTP is refused in production mode");
            assertEquals(401, http.send(HttpRequest.newBuilder(base.resolve("api/channels/news/events?token=" + forged))
                    .header("X-Forwarded-Proto", "https").build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            try (EventStream stream = EventStream.open(events, viaProxy)) {
                assertEquals(200, stream.status());
                stream.awaitEvent(e -> e.event().equals("subscribed"));
            }
            war.terminate();
            war.awaitExit();
            String output = String.join("\n", war.output());
            assertTrue(output.contains("mode production"), output);
            assertTrue(output.contains("refused with 1008"), "the refusals were logged: " + output);
            for (String secret : List.of(SECRET, API_KEY, WRONG_KEY, token, expired, forged)) {
                assertFalse(output.contains(secret), "the output shows a secret: " + secret.substring(0, 12) + "…");
            }
            // Nor any part of a token: its signature is the part that must never leak.
            for (String jwt : List.of(token, expired, forged)) {
                assertFalse(output.contains(jwt.substring(jwt.lastIndexOf('.') + 1)), "a token signature is in the output");
            }
        }
    }

    private static int post(HttpClient http, URI uri, String credential, boolean viaTlsProxy) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + credential)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"data\":{\"n\":1}}"));
        if (viaTlsProxy) {
            request.header("X-Forwarded-Proto", "https").header("X-Forwarded-For", "203.0.113.9");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
