package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.RawWebSocket;
import io.duplex.testing.Rest;
import io.duplex.testing.RunningNode;
import io.duplex.testing.SpringStomp;
import io.duplex.testing.Tokens;
import io.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.messaging.simp.stomp.StompHeaders;

/**
 * The STOMP door ({@code /stomp}) with Spring's {@code WebSocketStompClient}, as a Spring service would use it, and with
 * a bare socket for what a well-behaved client will not send: subscribe, send, receipts, heart-beats, credentials and
 * permissions, a bad frame, and one channel space shared with protocol v1 and REST.
 */
class StompIT {
    static final String SECRET = "s3cret-for-stomp-tests-0123456789abcdef";
    static final String API_KEY = "key-for-stomp-tests-0123456789";
    static final Tokens TOKENS = Tokens.hmac(SECRET);
    static final String ALICE = TOKENS.user("alice", List.of("chat.*"), List.of("chat.*"));

    @RegisterExtension
    static final RunningNode node = new RunningNode("token.hmac.secret", SECRET, "api.key", API_KEY,
            "heartbeat.interval", "500ms", "heartbeat.timeout", "2s");

    private static URI stomp() {
        return node.server().stomp();
    }

    private static Rest admin() {
        return new Rest(node.server().api(), API_KEY);
    }

    @Test
    void aSpringClientSubscribesSendsJsonAndTextAndGetsItsReceipts() {
        try (SpringStomp client = SpringStomp.connect(stomp(), ALICE)) {
            assertEquals("1.2", client.connected().getFirst("version"));
            assertTrue(client.connected().getFirst("server").startsWith("Duplex/"));
            assertEquals("alice", client.connected().getFirst("user-name"));
            List<SpringStomp.Received> json = client.subscribe("/topic/chat.json", Map.class);
            List<SpringStomp.Received> text = client.subscribe("/topic/chat.text", String.class);

            SpringStomp.awaitReceipt(client.session().send("/topic/chat.json", Map.of("text", "hi", "n", 1)));
            SpringStomp.awaitReceipt(client.session().send("/topic/chat.text", "hello: a line\nand another"));

            await().atMost(Duration.ofSeconds(10)).until(() -> json.size() == 1 && text.size() == 1);
            SpringStomp.Received message = json.get(0);
            assertEquals(Map.of("text", "hi", "n", 1), message.payload());
            StompHeaders headers = message.headers();
            assertEquals("/topic/chat.json", headers.getDestination());
            assertEquals("application/json", headers.getContentType().toString());
            assertTrue(headers.getMessageId().matches("[0-9]+"), "message-id is the offset: " + headers.getMessageId());
            assertTrue(headers.getSubscription() != null && !headers.getSubscription().isEmpty());
            assertEquals("hello: a line\nand another", text.get(0).payload());
            assertEquals("text/plain;charset=utf-8", text.get(0).headers().getContentType().toString().toLowerCase());
            assertTrue(client.errors().isEmpty(), "no ERROR: " + client.errors());
        }
    }

    @Test
    void anUnsubscribedSubscriptionGetsNothingMore() {
        try (SpringStomp client = SpringStomp.connect(stomp(), ALICE); Rest rest = admin()) {
            SpringStomp.Subscribed left = client.subscription("/topic/chat.left", String.class);
            List<SpringStomp.Received> kept = client.subscribe("/topic/chat.kept", String.class);
            rest.publish("chat.left", "\"one\"");
            await().atMost(Duration.ofSeconds(10)).until(() -> left.received().size() == 1);

            StompHeaders receipt = new StompHeaders();
            receipt.setReceipt("unsubscribed");
            left.handle().unsubscribe(receipt);
            rest.publish("chat.left", "\"two\"");
            rest.publish("chat.kept", "\"marker\"");
            // The marker went after the second message: had it been delivered, it would be here by now.
            await().atMost(Duration.ofSeconds(10)).until(() -> kept.size() == 1);
            assertEquals(1, left.received().size(), "nothing after UNSUBSCRIBE");
            assertTrue(client.errors().isEmpty() && client.failures().isEmpty(), client.errors() + " " + client.failures());
        }
    }

    @Test
    void heartBeatsAreNegotiatedAndTheServersKeepASpringClientConnected() {
        try (SpringStomp client = SpringStomp.connect(stomp(), Map.of("passcode", ALICE), new long[] {300, 300})) {
            assertTrue(client.session() != null, "connected: " + client.failures() + " " + client.errors());
            // The server sends and expects every heartbeat.interval (500 ms), the slower side of each pair.
            assertEquals("500,500", client.connected().getFirst("heart-beat"));
            // Spring closes a session that hears nothing for 3 × 500 ms: the server's EOLs keep it open.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> client.session().isConnected() && client.failures().isEmpty());
        }
    }

    @Test
    void theServerSendsEndOfLinesAtTheNegotiatedInterval() throws IOException {
        try (RawWebSocket socket = RawWebSocket.open(stomp(), Map.of("Sec-WebSocket-Protocol", "v12.stomp"))) {
            socket.setReadTimeout(Duration.ofSeconds(5));
            socket.sendText("CONNECT\naccept-version:1.2\nhost:localhost\npasscode:" + ALICE + "\nheart-beat:0,200\n\n\0");
            String connected = socket.readFrame().text();
            assertTrue(connected.startsWith("CONNECTED\n"), connected);
            assertTrue(connected.contains("\nheart-beat:500,0\n"), connected);
            assertTrue(connected.contains("\nversion:1.2\n"), connected);
            RawWebSocket.Frame next = socket.readUntil(RawWebSocket.TEXT);
            assertEquals("\n", next.text(), "a heart-beat");
        }
    }

    @Test
    void aBadFrameIsAnsweredWithAnErrorAndTheConnectionIsClosed() {
        try (SpringStomp client = SpringStomp.connect(stomp(), ALICE)) {
            client.session().send("/queue/orders", "x");
            await().atMost(Duration.ofSeconds(10)).until(() -> !client.errors().isEmpty());
            assertTrue(client.errors().get(0).getFirst("message").contains("/topic/{channel}"), client.errors().toString());
            assertEquals("bad_request", client.errors().get(0).getFirst("code"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !client.session().isConnected());
        }
    }

    @Test
    void aMalformedFrameGetsAnErrorThenACloseWith1008() throws IOException {
        try (RawWebSocket socket = connectedRaw()) {
            socket.sendText("SEND\ndestination:/topic/chat.a\ncontent-length:50\nreceipt:r-9\n\nshort\0");
            String error = socket.readFrame().text();
            assertTrue(error.startsWith("ERROR\n"), error);
            assertTrue(error.contains("\nreceipt-id:r-9\n"), error);
            assertTrue(error.contains("content-length"), error);
            assertEquals(1008, socket.readUntil(RawWebSocket.CLOSE).closeCode());
        }
    }

    @Test
    void clientAcknowledgementIsRefusedWithAnError() throws IOException {
        try (RawWebSocket socket = connectedRaw()) {
            socket.sendText("SUBSCRIBE\nid:0\ndestination:/topic/chat.a\nack:client\n\n\0");
            String error = socket.readFrame().text();
            assertTrue(error.startsWith("ERROR\n") && error.contains("ack\\cclient is not supported"), error);
            assertEquals(1008, socket.readUntil(RawWebSocket.CLOSE).closeCode());
        }
    }

    @Test
    void disconnectWithAReceiptIsAnsweredAndTheClientsCloseIsEchoed() throws IOException {
        try (RawWebSocket socket = connectedRaw()) {
            socket.sendText("SUBSCRIBE\nid:s\\c1\ndestination:/topic/chat.bye\nreceipt:1\n\n\0");
            assertEquals("RECEIPT\nreceipt-id:1\n\n\0", socket.readFrame().text());
            socket.sendText("DISCONNECT\nreceipt:77\n\n\0");
            assertEquals("RECEIPT\nreceipt-id:77\n\n\0", socket.readUntil(RawWebSocket.TEXT).text());
            // The close is the client's, once it has the RECEIPT: the node answers it instead of crossing it with its own.
            socket.sendFrame(RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xe8});
            RawWebSocket.Frame close = socket.readUntil(RawWebSocket.CLOSE);
            assertEquals(1000, close.closeCode());
            String reason = new String(close.payload(), 2, close.payload().length - 2, StandardCharsets.UTF_8);
            assertFalse(reason.equals("closed by client"), "the echo of the client's close, not the node's own");
        }
    }

    @Test
    void aClientThatDoesNotCloseAfterTheReceiptOfDisconnectIsClosed() throws IOException {
        try (RawWebSocket socket = connectedRaw()) {
            socket.sendText("DISCONNECT\nreceipt:77\n\n\0");
            assertEquals("RECEIPT\nreceipt-id:77\n\n\0", socket.readUntil(RawWebSocket.TEXT).text());
            assertEquals(1000, socket.readUntil(RawWebSocket.CLOSE).closeCode());
        }
    }

    @Test
    void disconnectWithoutAReceiptIsClosedAtOnce() throws IOException {
        try (RawWebSocket socket = connectedRaw()) {
            socket.sendText("DISCONNECT\n\n\0");
            assertEquals(1000, socket.readUntil(RawWebSocket.CLOSE).closeCode());
        }
    }

    @Test
    void credentialsAreCheckedAsOnTheV1Door() throws IOException {
        try (SpringStomp anonymous = SpringStomp.connect(stomp(), null)) {
            assertNull(anonymous.session(), "no CONNECTED without a token");
            await().atMost(Duration.ofSeconds(10)).until(() -> !anonymous.errors().isEmpty());
            assertEquals("unauthorized", anonymous.errors().get(0).getFirst("code"));
        }
        try (SpringStomp forged = SpringStomp.connect(stomp(), Tokens.hmac("another-secret-0123456789abcdefghijkl").make("mallory", Duration.ofMinutes(5)))) {
            assertNull(forged.session());
        }
        // A browser cannot set CONNECT's passcode through some libraries: the handshake's token parameter serves.
        URI withToken = URI.create(stomp() + "?token=" + URLEncoder.encode(ALICE, StandardCharsets.UTF_8));
        try (RawWebSocket socket = RawWebSocket.open(withToken)) {
            socket.sendText("STOMP\naccept-version:1.1,1.2\nhost:x\n\n\0");
            assertTrue(socket.readFrame().text().startsWith("CONNECTED\nversion:1.2\n"));
        }
        try (SpringStomp client = SpringStomp.connect(stomp(), ALICE)) {
            client.session().subscribe("/topic/secret.plans", new org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter() { });
            await().atMost(Duration.ofSeconds(10)).until(() -> !client.errors().isEmpty());
            assertEquals("permission_denied", client.errors().get(0).getFirst("code"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !client.session().isConnected());
        }
    }

    @Test
    void oneChannelSpaceRestReachesV1AndStompOnceAndStompReachesV1() {
        try (WsClient v1 = WsClient.connect(node.ws(), ALICE); SpringStomp stompClient = SpringStomp.connect(stomp(), ALICE);
                Rest rest = admin()) {
            v1.subscribe("chat.space");
            List<SpringStomp.Received> viaStomp = stompClient.subscribe("/topic/chat.space", Map.class);

            rest.publish("chat.space", "{\"n\":1}");
            SpringStomp.awaitReceipt(stompClient.session().send("/topic/chat.space", Map.of("n", 2)));
            await().atMost(Duration.ofSeconds(10)).until(() -> viaStomp.size() >= 2 && v1.messages("chat.space").size() >= 2);

            List<JsonObject> v1Messages = v1.messages("chat.space");
            assertEquals(List.of(1, 2), v1Messages.stream().map(m -> m.getJsonObject("data").getInt("n")).toList());
            assertEquals(List.of(Map.of("n", 1), Map.of("n", 2)), viaStomp.stream().map(SpringStomp.Received::payload).toList());
            assertEquals(v1Messages.stream().map(m -> Long.toString(m.getJsonNumber("offset").longValue())).toList(),
                    viaStomp.stream().map(r -> r.headers().getMessageId()).toList(), "message-id is the v1 offset");
            // A marker after them: nothing arrived twice meanwhile.
            rest.publish("chat.space", "{\"n\":3}");
            await().atMost(Duration.ofSeconds(10)).until(() -> viaStomp.size() >= 3 && v1.messages("chat.space").size() >= 3);
            assertEquals(3, viaStomp.size());
            assertEquals(3, v1.messages("chat.space").size());
            assertFalse(v1Messages.isEmpty());
        }
    }

    private static RawWebSocket connectedRaw() throws IOException {
        RawWebSocket socket = RawWebSocket.open(stomp(), Map.of("Sec-WebSocket-Protocol", "v12.stomp"));
        socket.setReadTimeout(Duration.ofSeconds(10));
        socket.sendText("CONNECT\naccept-version:1.2\nhost:localhost\npasscode:" + ALICE + "\n\n\0");
        String connected = socket.readFrame().text();
        assertTrue(connected.startsWith("CONNECTED\n"), connected);
        return socket;
    }
}
