package io.duplex.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.Frames;
import io.duplex.testing.Https;
import io.duplex.testing.JdkWebSocket;
import io.duplex.testing.TestServer;
import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * proxy.trusted: behind a proxy, the client's address, the scheme and the host come from the proxy's headers;
 * without it, the same headers change nothing (any client could send them).
 */
class ProxyTrustedIT {
    private static final Map<String, String> FORWARDED = Map.of("X-Forwarded-For", "203.0.113.7",
            "X-Forwarded-Proto", "https", "X-Forwarded-Host", "duplex.example.com");

    /** Jetty keeps the port of the proxy's own connection beside the forwarded address: 203.0.113.7:34542. */
    @Test
    void withProxyTrustedASessionShowsTheForwardedClientAddress() {
        try (TestServer server = TestServer.start("proxy.trusted", "true")) {
            String remote = remoteOfASessionOpenedWith(server, FORWARDED);
            assertTrue(remote.startsWith("203.0.113.7"), remote);
        }
    }

    @Test
    void withoutProxyTrustedTheForwardedAddressIsIgnored() {
        try (TestServer server = TestServer.start()) {
            String remote = remoteOfASessionOpenedWith(server, FORWARDED);
            assertTrue(remote.startsWith("127.0.0.1"), remote);
        }
    }

    @Test
    void withProxyTrustedLinksUseTheForwardedSchemeAndHost() {
        try (TestServer server = TestServer.start("proxy.trusted", "true")) {
            assertEquals("https://duplex.example.com/api/channels/proxy.links/messages/1", locationOfAPublishWith(server, FORWARDED));
            assertEquals("https://hub.example.org/api/channels/proxy.links/messages/2",
                    locationOfAPublishWith(server, Map.of("Forwarded", "for=198.51.100.9;proto=https;host=hub.example.org")));
        }
    }

    @Test
    void withProxyTrustedOnlyTheDocumentedHeadersCount() {
        // Jetty reads these too by default; proxies pass them through from the client untouched.
        try (TestServer server = TestServer.start("proxy.trusted", "true")) {
            assertEquals(server.api() + "channels/proxy.links/messages/1", locationOfAPublishWith(server,
                    Map.of("X-Proxied-Https", "on", "X-Forwarded-Port", "4444", "Proxy-ssl-id", "x", "X-Forwarded-Server", "evil.example")));
        }
    }

    @Test
    void withoutProxyTrustedLinksUseTheRequestsOwnSchemeAndHost() {
        try (TestServer server = TestServer.start()) {
            assertEquals(server.api() + "channels/proxy.links/messages/1", locationOfAPublishWith(server, FORWARDED));
        }
    }

    private static String remoteOfASessionOpenedWith(TestServer server, Map<String, String> headers) {
        HttpClient client = HttpClient.newHttpClient();
        try (JdkWebSocket ws = JdkWebSocket.open(client, server.ws(), headers)) {
            String session = ws.request(1, "{\"type\":\"connect\"}").getString("session");
            JsonObject sessions = Frames.parse(Https.get(client, server.api().resolve("sessions")).body());
            return sessions.getJsonArray("sessions").getValuesAs(JsonObject.class).stream()
                    .filter(s -> s.getString("session").equals(session)).findFirst().orElseThrow().getString("remote");
        }
    }

    private static String locationOfAPublishWith(TestServer server, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.api().resolve("channels/proxy.links/messages"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"data\":1}"));
        headers.forEach(request::header);
        HttpResponse<String> response = Https.send(HttpClient.newHttpClient(), request.build());
        assertEquals(201, response.statusCode(), response::body);
        return response.headers().firstValue("Location").orElseThrow();
    }
}
