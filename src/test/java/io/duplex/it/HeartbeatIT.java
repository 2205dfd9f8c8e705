package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplex.testing.RawWebSocket;
import io.duplex.testing.RunningNode;
import io.duplex.testing.WsClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The server pings quiet clients and closes dead ones; a connection that never says connect is closed too. */
class HeartbeatIT {
    @RegisterExtension
    static final RunningNode node = new RunningNode("heartbeat.interval", "300ms", "heartbeat.timeout", "300ms", "connect.timeout", "500ms");

    @Test
    void aClientThatAnswersNoPingIsClosedWith4004() throws Exception {
        try (RawWebSocket dead = RawWebSocket.open(node.ws())) {
            dead.sendText("{\"id\":1,\"type\":\"connect\"}");
            assertEquals(RawWebSocket.TEXT, dead.readFrame().opcode());
            assertEquals(RawWebSocket.PING, dead.readFrame().opcode(), "a quiet client is pinged");
            assertEquals(4004, dead.readUntil(RawWebSocket.CLOSE).closeCode());
        }
    }

    @Test
    void aClientThatAnswersPingsStaysConnected() {
        try (WsClient alive = node.connect()) {
            // Several heartbeat periods; the Tyrus client answers pings with pongs by itself.
            await().during(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(4)).until(alive::isOpen);
            assertEquals("pong", alive.request("{\"type\":\"ping\"}").getString("type"));
        }
    }

    @Test
    void aConnectionThatNeverSendsConnectIsClosedWith1008() throws Exception {
        try (RawWebSocket silent = RawWebSocket.open(node.ws())) {
            assertEquals(1008, silent.readUntil(RawWebSocket.CLOSE).closeCode());
        }
    }
}
