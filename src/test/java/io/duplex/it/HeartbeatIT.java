package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.RawWebSocket;
import io.duplex.testing.RunningNode;
import io.duplex.testing.WsClient;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server pings quiet clients and closes dead ones; a connection that never says connect is closed too. On both
 * ways of writing frames (ws.api): Jetty's own API pings without blocking a thread, the standard one from the I/O pool.
 */
class HeartbeatIT {
    // A pong may be late on a loaded machine (a full suite beside other builds): the timeout leaves it 1.5 s, and the
    // test that a live client stays watches for longer than a ping and its timeout, so a client that did not answer
    // would be closed within the watch and the test would fail.
    private static final String[] SETTINGS = {"heartbeat.interval", "300ms", "heartbeat.timeout", "1500ms", "connect.timeout", "500ms"};

    @RegisterExtension
    static final RunningNode nativeApi = new RunningNode(with("ws.api", "native"));
    @RegisterExtension
    static final RunningNode standardApi = new RunningNode(with("ws.api", "standard"));

    private static String[] with(String key, String value) {
        String[] settings = java.util.Arrays.copyOf(SETTINGS, SETTINGS.length + 2);
        settings[SETTINGS.length] = key;
        settings[SETTINGS.length + 1] = value;
        return settings;
    }

    private static RunningNode node(String api) {
        return api.equals("native") ? nativeApi : standardApi;
    }

    @ParameterizedTest(name = "ws.api={0}")
    @ValueSource(strings = {"native", "standard"})
    void aClientThatAnswersNoPingIsClosedWith4004(String api) throws Exception {
        try (RawWebSocket dead = RawWebSocket.open(node(api).ws())) {
            dead.sendText("{\"id\":1,\"type\":\"connect\"}");
            assertEquals(RawWebSocket.TEXT, dead.readFrame().opcode());
            RawWebSocket.Frame ping = dead.readFrame();
            assertEquals(RawWebSocket.PING, ping.opcode(), "a quiet client is pinged");
            // Never empty on Jetty: an empty payload left the flusher's compiled code at every ping (see JettyFrames).
            assertTrue(ping.payload().length > 0, "the ping carries a payload");
            assertEquals(4004, dead.readUntil(RawWebSocket.CLOSE).closeCode());
        }
    }

    @ParameterizedTest(name = "ws.api={0}")
    @ValueSource(strings = {"native", "standard"})
    void aClientThatAnswersPingsStaysConnected(String api) {
        try (WsClient alive = node(api).connect()) {
            // Several heartbeat periods; the Tyrus client answers pings with pongs by itself.
            await().during(Duration.ofMillis(3000)).atMost(Duration.ofSeconds(5)).until(alive::isOpen);
            assertEquals("pong", alive.request("{\"type\":\"ping\"}").getString("type"));
        }
    }

    @ParameterizedTest(name = "ws.api={0}")
    @ValueSource(strings = {"native", "standard"})
    void aConnectionThatNeverSendsConnectIsClosedWith1008(String api) throws Exception {
        try (RawWebSocket silent = RawWebSocket.open(node(api).ws())) {
            assertEquals(1008, silent.readUntil(RawWebSocket.CLOSE).closeCode());
        }
    }
}
