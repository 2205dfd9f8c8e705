package io.duplex.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.duplex.testing.Https;
import io.duplex.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** h2c: HTTP/2 without TLS, by the HTTP/1.1 upgrade and by prior knowledge, only when asked for. */
class H2cIT {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_SETTINGS = {0, 0, 0, 0x4, 0, 0, 0, 0, 0};
    private static final int SETTINGS = 0x4;

    @Test
    void withH2cAnHttp2ClientUpgradesAndPriorKnowledgeIsAnswered() throws IOException {
        try (TestServer server = TestServer.start("h2c", "true")) {
            assertEquals(HttpClient.Version.HTTP_2, healthVersion(server));
            assertEquals(SETTINGS, firstFrameTypeAfterPreface(server.uri()));
        }
    }

    @Test
    void withoutH2cThePlainConnectorSpeaksHttp11Only() throws IOException {
        try (TestServer server = TestServer.start()) {
            assertEquals(HttpClient.Version.HTTP_1_1, healthVersion(server));
            assertNotEquals(SETTINGS, firstFrameTypeAfterPreface(server.uri()));
        }
    }

    /** The JDK client asks for HTTP/2 over http:// with `Upgrade: h2c` and stays on HTTP/1.1 when refused. */
    private static HttpClient.Version healthVersion(TestServer server) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> response = Https.get(client, server.api().resolve("health"));
        assertEquals(200, response.statusCode());
        return response.version();
    }

    /** Prior knowledge: the HTTP/2 connection preface straight away; an HTTP/2 server answers with its SETTINGS frame. */
    private static int firstFrameTypeAfterPreface(URI uri) throws IOException {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(PREFACE);
            socket.getOutputStream().write(EMPTY_SETTINGS);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] header = in.readNBytes(9);
            return header.length == 9 ? header[3] : -1;
        }
    }
}
