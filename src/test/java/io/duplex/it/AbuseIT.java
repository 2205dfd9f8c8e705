package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.RawWebSocket;
import io.duplex.testing.Rest;
import io.duplex.testing.TestServer;
import io.duplex.testing.WsClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** Limits against abuse: origins, handshake rate per address, publish rate, compression. */
class AbuseIT {

    @Test
    void onlyAllowedOriginsMayOpenConnections() throws IOException {
        try (TestServer server = TestServer.start("origins", "https://app.example.com, http://localhost:3000")) {
            try (WsClient evil = WsClient.open(server.ws(), Map.of("Origin", "https://evil.example"))) {
                var close = evil.awaitClose();
                assertEquals(1008, close.getCloseCode().getCode());
                assertEquals("origin not allowed", close.getReasonPhrase());
            }
            try (RawWebSocket evil = RawWebSocket.open(server.ws(), Map.of("Origin", "https://evil.example"))) {
                // Whatever it sends, the first thing it reads is the close: no frame of it was executed.
                evil.sendText("{\"id\":1,\"type\":\"connect\"}");
                RawWebSocket.Frame first = evil.readFrame();
                assertEquals(RawWebSocket.CLOSE, first.opcode());
                assertEquals(1008, first.closeCode());
            }
            assertTrue(connects(server, Map.of("Origin", "HTTPS://App.Example.com:443")), "an allowed origin, spelt otherwise");
            assertTrue(connects(server, Map.of("Origin", "http://localhost:3000")));
            assertTrue(connects(server, Map.of()), "a client without Origin is not a browser page and is let in");
            assertFalse(connects(server, Map.of("Origin", "null")), "a sandboxed page's origin is not on the list");
        }
    }

    private static boolean connects(TestServer server, Map<String, String> headers) throws IOException {
        try (RawWebSocket socket = RawWebSocket.open(server.ws(), headers)) {
            socket.sendText("{\"id\":1,\"type\":\"connect\"}");
            RawWebSocket.Frame frame = socket.readFrame();
            return frame.opcode() == RawWebSocket.TEXT && frame.text().contains("\"connected\"");
        }
    }

    @Test
    void tooManyHandshakesFromOneAddressAreClosedWith4005() throws IOException {
        try (TestServer server = TestServer.start("handshake.rate", "5")) {
            List<Integer> firstFrames = new ArrayList<>();
            List<RawWebSocket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 30; i++) {
                    RawWebSocket socket = RawWebSocket.open(server.ws());
                    sockets.add(socket);
                    socket.sendText("{\"id\":1,\"type\":\"connect\"}");
                    RawWebSocket.Frame frame = socket.readFrame();
                    firstFrames.add(frame.opcode() == RawWebSocket.CLOSE ? frame.closeCode() : 0);
                }
            } finally {
                for (RawWebSocket socket : sockets) {
                    socket.close();
                }
            }
            assertEquals(List.of(0, 0, 0, 0, 0), firstFrames.subList(0, 5), "a burst of handshake.rate is allowed");
            assertTrue(firstFrames.contains(4005), "then 4005: " + firstFrames);
        }
    }

    @Test
    void aConnectionThatPublishesFasterThanPublishRateIsClosedWith4005() throws IOException {
        try (TestServer server = TestServer.start("publish.rate", "10"); Rest rest = new Rest(server.api());
                WsClient flooder = WsClient.connect(server.ws())) {
            for (int i = 0; i < 100 && flooder.isOpen(); i++) {
                try {
                    flooder.send("{\"id\":" + (i + 10) + ",\"type\":\"publish\",\"channel\":\"flood\",\"data\":" + i + "}");
                } catch (RuntimeException closedMeanwhile) {
                    break; // the server closed it between isOpen and send: what this test waits for
                }
            }
            var close = flooder.awaitClose();
            assertEquals(4005, close.getCloseCode().getCode());
            long accepted = flooder.frames().stream().filter(f -> f.getString("type").equals("published")).count();
            assertTrue(accepted >= 10 && accepted < 100, "a burst of publish.rate went through: " + accepted);
            assertEquals(accepted, rest.getJson("channels/flood").getJsonNumber("offset").longValue(),
                    "every publish that was answered is in history, and only those");
        }
    }

    @Test
    void permessageDeflateIsOffByDefault() throws IOException {
        try (TestServer server = TestServer.start();
                RawWebSocket socket = RawWebSocket.open(server.ws(), Map.of("Sec-WebSocket-Extensions", "permessage-deflate"))) {
            assertFalse(socket.responseHeaders().stream().anyMatch(h -> h.toLowerCase().contains("permessage-deflate")),
                    "not negotiated: " + socket.responseHeaders());
        }
    }

    @Test
    void whenCompressionIsOnADecompressionBombIsClosedWith1009AndTheNodeLivesOn() throws IOException {
        try (TestServer server = TestServer.start("ws.compression", "true", "frame.max.bytes", "64KiB", "message.max.bytes", "32KiB");
                RawWebSocket socket = RawWebSocket.open(server.ws(), Map.of("Sec-WebSocket-Extensions", "permessage-deflate"))) {
            assertTrue(socket.responseHeaders().stream().anyMatch(h -> h.toLowerCase().contains("permessage-deflate")),
                    "negotiated when on: " + socket.responseHeaders());
            socket.sendFrame(RawWebSocket.TEXT, deflate("{\"id\":1,\"type\":\"connect\"}".getBytes(StandardCharsets.UTF_8)), true);
            assertTrue(socket.readFrame().text().contains("connected"), "a compressed frame works");

            byte[] huge = new byte[64 * 1024 * 1024];
            Arrays.fill(huge, (byte) ' ');
            byte[] bomb = deflate(huge);
            assertTrue(bomb.length < 128 * 1024, "64 MiB of spaces deflate to " + bomb.length + " bytes");
            socket.sendFrame(RawWebSocket.TEXT, bomb, true);
            assertEquals(1009, socket.readUntil(RawWebSocket.CLOSE).closeCode());
            try (WsClient other = WsClient.connect(server.ws())) {
                assertEquals("pong", other.request("{\"type\":\"ping\"}").getString("type"));
            }
        }
    }

    /** Raw DEFLATE as permessage-deflate sends it: the final empty block's 00 00 FF FF trailer removed (RFC 7692). */
    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
            out.write(buffer, 0, n);
        }
        deflater.end();
        byte[] bytes = out.toByteArray();
        return Arrays.copyOf(bytes, bytes.length - 4);
    }
}
