package io.duplex.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.duplex.testing.Frames;
import io.duplex.testing.Https;
import io.duplex.testing.JdkWebSocket;
import io.duplex.testing.TestCertificate;
import io.duplex.testing.TestServer;
import jakarta.json.JsonObject;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node with its own certificate (PEM): https:// and wss:// only, HTTP/2 for clients that offer it, HTTP/1.1 for the rest. */
class TlsIT {
    @TempDir
    static Path dir;
    static TestCertificate certificate;
    static TestServer server;
    static HttpClient http2;
    static HttpClient http11;

    @BeforeAll
    static void start() {
        certificate = TestCertificate.rsa();
        server = TestServer.start("tls.keystore", certificate.writeCertificate(dir.resolve("server.crt")).toString(),
                "tls.key", certificate.writePkcs8Key(dir.resolve("server.key")).toString());
        http2 = Https.client(certificate.trustingContext(), HttpClient.Version.HTTP_2);
        http11 = Https.client(certificate.trustingContext(), HttpClient.Version.HTTP_1_1);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theNodeNamesHttpsAndWssAddresses() {
        assertEquals("https", server.uri().getScheme());
        assertEquals("wss", server.ws().getScheme());
    }

    @Test
    void restSpeaksHttp2OverTls() {
        HttpResponse<String> published = Https.postJson(http2, server.api().resolve("channels/tls.h2/messages"), "{\"data\":{\"n\":7}}");
        assertEquals(201, published.statusCode(), published::body);
        assertEquals(HttpClient.Version.HTTP_2, published.version());

        HttpResponse<String> history = Https.get(http2, server.api().resolve("channels/tls.h2/messages"));
        assertEquals(HttpClient.Version.HTTP_2, history.version());
        List<JsonObject> messages = Frames.parse(history.body()).getJsonArray("messages").getValuesAs(JsonObject.class);
        assertEquals(1, messages.size(), history::body);
        assertEquals(7, messages.get(0).getJsonObject("data").getInt("n"));
    }

    @Test
    void restStillSpeaksHttp11OverTls() {
        HttpResponse<String> health = Https.get(http11, server.api().resolve("health"));
        assertEquals(200, health.statusCode());
        assertEquals(HttpClient.Version.HTTP_1_1, health.version());
        assertEquals("up", Frames.parse(health.body()).getString("status"));
    }

    @Test
    void alpnGivesHttp11ToAClientThatOffersOnlyThatAndPrefersHttp2() throws Exception {
        try (SSLSocket socket = Https.open(certificate.trustingContext(), server.uri(), null, List.of("http/1.1"))) {
            assertEquals("HTTP/1.1 200 OK", Https.statusLine(socket, "/api/health", server.uri().getAuthority()));
            assertEquals("http/1.1", socket.getApplicationProtocol());
        }
        try (SSLSocket socket = Https.open(certificate.trustingContext(), server.uri(), null, List.of("http/1.1", "h2"))) {
            socket.startHandshake();
            assertEquals("h2", socket.getApplicationProtocol());
        }
    }

    @Test
    void theNodeServesTheConfiguredCertificate() {
        assertEquals(certificate.fingerprint(), TestCertificate.fingerprint(Https.servedCertificate(certificate.trustingContext(), server.uri())));
    }

    @Test
    void aRequestForANameTheCertificateDoesNotListIsServed() throws Exception {
        // SNI says localhost (a name of the certificate), Host another name: as through a tunnel or a port forward.
        // Jetty's SNI host check would answer 400 "Invalid SNI".
        try (SSLSocket socket = Https.open(certificate.trustingContext(), server.uri(), "localhost", List.of())) {
            assertEquals("HTTP/1.1 200 OK", Https.statusLine(socket, "/api/health", "duplex.internal:" + server.uri().getPort()));
        }
    }

    @Test
    void plainHttpIsNotServed() {
        URI plain = URI.create("http://" + server.uri().getAuthority() + "/api/health");
        try {
            int status = Https.get(HttpClient.newHttpClient(), plain).statusCode();
            assertNotEquals(200, status);
        } catch (UncheckedIOException expected) {
            // the TLS connector closes a connection that does not start with a TLS handshake
        }
    }

    @Test
    void aWebSocketOverWssReceivesWhatIsPublishedOverHttps() {
        try (JdkWebSocket ws = JdkWebSocket.open(http11, server.ws(), Map.of())) {
            assertEquals("connected", ws.request(1, "{\"type\":\"connect\"}").getString("type"));
            assertEquals("subscribed", ws.request(2, "{\"type\":\"subscribe\",\"channel\":\"tls.ws\"}").getString("type"));
            HttpResponse<String> published = Https.postJson(http2, server.api().resolve("channels/tls.ws/messages"),
                    "{\"data\":{\"over\":\"https\"}}");
            assertEquals(201, published.statusCode(), published::body);
            JsonObject message = ws.awaitFrame(f -> "message".equals(f.getString("type", "")));
            assertEquals("https", message.getJsonObject("data").getString("over"));
        }
    }
}
