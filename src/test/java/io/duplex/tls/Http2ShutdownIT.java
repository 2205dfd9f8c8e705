package io.duplex.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.duplex.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Stopping a node whose HTTP/2 client keeps its connection open after the server's GOAWAY: the stop waits
 * shutdown.timeout for it, then closes it and completes, as a stop with requests in flight does.
 */
class Http2ShutdownIT {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_SETTINGS = {0, 0, 0, 0x4, 0, 0, 0, 0, 0};

    @Test
    void aStopEndsAtShutdownTimeoutWhenAnHttp2ClientKeepsItsConnection() throws IOException {
        TestServer server = TestServer.start("h2c", "true", "shutdown.timeout", "1s");
        try (Socket socket = new Socket(server.uri().getHost(), server.uri().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(PREFACE);
            socket.getOutputStream().write(EMPTY_SETTINGS);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            assertEquals(0x4, in.readNBytes(9)[3], "the server's SETTINGS frame");

            // This client never answers the GOAWAY nor closes: only the end of shutdown.timeout ends the stop.
            assertTimeoutPreemptively(Duration.ofSeconds(10), server::close);
            readUntilClosedByTheServer(in);
        }
    }

    /** Returns at the end of the stream (or a reset); a server that left the connection open fails it with a read timeout. */
    private static void readUntilClosedByTheServer(InputStream in) throws IOException {
        try {
            while (in.read() != -1) {
                // the GOAWAY frames
            }
        } catch (SocketException reset) {
            // closed too
        }
    }
}
