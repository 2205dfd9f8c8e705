package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.LogWatch;
import io.duplex.testing.RawWebSocket;
import io.duplex.testing.RunningNode;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /ws} the same on both of the embedded server's ways in ({@code ws.api}): {@code native}, Jetty's core WebSocket
 * API without the Jakarta layer (the default), and {@code standard}, the {@code @ServerEndpoint} every other container
 * runs. What the Jakarta layer did for the endpoint the native door does itself, so a client must not tell them apart:
 * messages put together from fragments, held to {@code frame.max.bytes}, checked to be UTF-8; pings answered; binary
 * messages refused; origins checked before any frame is read; no compression unless asked for; the client's address.
 */
class WebSocketApisIT {
    // frame.max.bytes is left at its default, 128 KiB: above what Jetty's WebSocket core takes in one frame by default.
    private static final String[] SETTINGS = {"origins", "https://app.example.com"};

    @RegisterExtension
    static final RunningNode nativeApi = new RunningNode(with("native"));
    @RegisterExtension
    static final RunningNode standardApi = new RunningNode(with("standard"));

    /** What the WebSocket transport logs during a test, FINE and up (the nodes run in this JVM). */
    private LogWatch transportLog;

    @BeforeEach
    void watchTheTransportLog() {
        transportLog = LogWatch.of("io.duplex.transport.ws", Level.FINE);
    }

    @AfterEach
    void stopWatching() {
        transportLog.close();
    }

    private static boolean mentions(LogRecord record, String text) {
        return String.valueOf(record.getMessage()).contains(text)
                || (record.getParameters() != null && Arrays.toString(record.getParameters()).contains(text))
                || (record.getThrown() != null && record.getThrown().toString().contains(text));
    }

    private static String[] with(String api) {
        String[] settings = Arrays.copyOf(SETTINGS, SETTINGS.length + 2);
        settings[SETTINGS.length] = "ws.api";
        settings[SETTINGS.length + 1] = api;
        return settings;
    }

    private static RunningNode node(String api) {
        return api.equals("native") ? nativeApi : standardApi;
    }

    @ParameterizedTest(name = "ws.api={0}")
    @ValueSource(strings = {"native", "standard"})
    void aMessageInFragmentsIsReadAsOneWithAPingBetweenThem(String api) throws IOException {
        try (RawWebSocket socket = RawWebSocket.open(node(api).ws())) {
            byte[] connect = "{\"id\":7,\"type\":\"connect\"}".getBytes(StandardCharsets.UTF_8);
            socket.sendFragment(RawWebSocket.TEXT, Arrays.copyOfRange(connect, 0, 5), false);
            // A control frame may come between the fragments of a message (RFC 6455, 5.4).
            socket.sendFrame(RawWebSocket.PING, "between".getBytes(StandardCharsets.UTF_8));
            socket.sendFragment(RawWebSocket.CONTINUATION, Arrays.copyOfRange(connect, 5, 12), false);
            socket.sendFragment(RawWebSocket.CONTINUATION, Arrays.copyOfRange(connect, 12, connect.length), true);
            RawWebSocket.Frame pong = socket.readFrame();
            assertEquals(RawWebSocket.PONG, pong.opcode());
            assertEquals("between", pong.text());
            RawWebSocket.Frame connected = socket.readFrame();
            assertEquals(RawWebSocket.TEXT, connected.opcode());
            assertTrue(connected.text().contains("\"connected\"") && connected.text().contains("\"id\":7"), connected.text());
        }
    }

    @ParameterizedTest(name = "ws.api={0}")
    @ValueSource(strings = {"native", "standard"})
    void aMessageWhoseFragmentsTogetherPassTheLimitIsClosedWith1009(String api) throws IOException {
        try (RawWebSocket socket = RawWebSocket.open(node(api).ws())) {
            byte[] part = "x".repeat(50_000).getBytes(StandardCharsets.UTF_8);
            socket.sendFragment(RawWebSocket.TEXT, part, false);
            socket.sendFragment(RawWebSocket.CONTINUATION, part, false);
            socket.sendFragment(RawWebSocket.CONTINUATION, part, true);
            assertEquals(1009, socket.readUntil(RawWebSocket.CLOSE).closeCode());
        }
        // The client's fault: one line for the operator at FINE, not a warning with a stack trace as for Duplex's own.
        LogRecord logged = await().atMost(Duration.ofSeconds(10)).until(() -> transportLog.records().stream()
                .filter(r -> mentions(r, "MessageTooLarge")).findFirst().orElse(null), Objects::nonNull);
        assertEquals(Level.FINE, logged.getLevel());
        assertNull(logged.getThrown());
    }

    @ParameterizedTest(name = "ws.api={0}")
    @ValueSource(strings = {"native", "standard"})
    void aFrameUnderTheLimitButOverJettysDefaultFrameSizeIsRead(String api) throws IOException {
        try (RawWebSocket socket = RawWebSocket.open(node(api).ws())) {
            socket.sendText("{\"id\":1,\"type\":\"connect\"}");
            socket.readFrame();
            socket.sendText("{\"id\":3,\"type\":\"ping\",\"pad\":\"" + "x".repeat(100_000) + "\"}");
            RawWebSocket.Frame reply = socket.readFrame();
            assertEquals(RawWebSocket.TEXT, reply.opcode(), () -> "closed: " + reply.closeCode());
            assertTrue(reply.text().contains("\"pong\""), reply.text());
        }
    }

    @ParameterizedTest(name = "ws.api={0}")
    @ValueSource(strings = {"native", "standard"})
    void aTextMessageThatIsNotUtf8IsClosedWith1007AndOneWithTheReplacementCharacterIsNot(String api) throws IOException {
        try (RawWebSocket socket = RawWebSocket.open(node(api).ws())) {
            socket.sendText("{\"id\":1,\"type\":\"connect\"}");
            socket.readFrame();
            // U+FFFD is a character like another when the client sends it, encoded right.
            socket.sendText("{\"id\":2,\"type\":\"publish\",\"channel\":\"apis.utf8\",\"data\":\"\uFFFD\"}");
            assertTrue(socket.readFrame().text().contains("\"published\""));
        }
        try (RawWebSocket socket = RawWebSocket.open(node(api).ws())) {
            socket.sendFrame(RawWebSocket.TEXT, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
            assertEquals(1007, socket.readUntil(RawWebSocket.CLOSE).closeCode());
        }
    }

    @ParameterizedTest(name = "ws.api={0}")
    @ValueSource(strings = {"native", "standard"})
    void aPingIsAnsweredWithItsPayloadAndABinaryMessageIsABadRequest(String api) throws IOException {
        try (RawWebSocket socket = RawWebSocket.open(node(api).ws())) {
            socket.sendText("{\"id\":1,\"type\":\"connect\"}");
            assertEquals(RawWebSocket.TEXT, socket.readFrame().opcode());
            byte[] payload = {1, 2, 3, 4, 5};
            socket.sendFrame(RawWebSocket.PING, payload);
            RawWebSocket.Frame pong = socket.readFrame();
            assertEquals(RawWebSocket.PONG, pong.opcode());
            assertArrayEquals(payload, pong.payload());
            socket.sendFragment(RawWebSocket.BINARY, new byte[100], false);
            socket.sendFragment(RawWebSocket.CONTINUATION, new byte[100], true);
            RawWebSocket.Frame error = socket.readFrame();
            assertTrue(error.text().contains("\"bad_request\""), error.text());
            socket.sendText("{\"id\":2,\"type\":\"ping\"}");
            assertTrue(socket.readFrame().text().contains("\"pong\""), "the connection lives on");
        }
    }

    @ParameterizedTest(name = "ws.api={0}")
    @ValueSource(strings = {"native", "standard"})
    void anOriginNotAllowedIsClosedWith1008BeforeAnyFrameIsRead(String api) throws IOException {
        try (RawWebSocket evil = RawWebSocket.open(node(api).ws(), Map.of("Origin", "https://evil.example"))) {
            evil.sendText("{\"id\":1,\"type\":\"connect\"}");
            RawWebSocket.Frame first = evil.readFrame();
            assertEquals(RawWebSocket.CLOSE, first.opcode());
            assertEquals(1008, first.closeCode());
        }
        try (RawWebSocket allowed = RawWebSocket.open(node(api).ws(), Map.of("Origin", "https://app.example.com"))) {
            allowed.sendText("{\"id\":1,\"type\":\"connect\"}");
            assertTrue(allowed.readFrame().text().contains("\"connected\""));
        }
    }

    @ParameterizedTest(name = "ws.api={0}")
    @ValueSource(strings = {"native", "standard"})
    void compressionIsNotNegotiatedUnlessTurnedOnAndTheClientsAddressIsListed(String api) throws IOException {
        try (RawWebSocket socket = RawWebSocket.open(node(api).ws(), Map.of("Sec-WebSocket-Extensions", "permessage-deflate"))) {
            assertTrue(socket.responseHeaders().stream().noneMatch(h -> h.toLowerCase().startsWith("sec-websocket-extensions")),
                    socket.responseHeaders()::toString);
            String session = socket.connectAndSubscribe("apis.address");
            JsonObject listed = node(api).rest().getJson("sessions/" + session);
            assertTrue(listed.getString("remote").startsWith("127.0.0.1:"), listed::toString);
            int port = Integer.parseInt(listed.getString("remote").substring("127.0.0.1:".length()));
            assertTrue(port > 0 && port != node(api).ws().getPort(), "the client's own port: " + listed);
        }
    }
}
