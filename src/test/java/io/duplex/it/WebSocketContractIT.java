package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.RawWebSocket;
import io.duplex.testing.RunningNode;
import io.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import java.util.List;
import static org.awaitility.Awaitility.await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every WebSocket command of protocol v1, its reply and its errors, on a real node with a real client. */
class WebSocketContractIT {
    @RegisterExtension
    static final RunningNode node = new RunningNode("subscriptions.max", "3", "message.max.bytes", "1KiB", "frame.max.bytes", "4KiB");

    @Test
    void connectAnswersConnectedWithSessionAndVersion() {
        try (WsClient client = WsClient.open(node.ws())) {
            client.send("{\"id\":1,\"type\":\"connect\"}");
            JsonObject reply = client.awaitFrame(f -> f.getInt("id", -1) == 1);
            assertEquals("connected", reply.getString("type"));
            assertEquals("1", reply.getString("version"));
            assertFalse(reply.getString("session").isEmpty());
        }
    }

    @Test
    void commandsBeforeConnectAreRefusedWithNotConnected() {
        try (WsClient client = WsClient.open(node.ws())) {
            JsonObject reply = client.request("{\"type\":\"subscribe\",\"channel\":\"news\"}");
            assertError(reply, "not_connected");
            assertEquals("connected", client.request("{\"type\":\"connect\"}").getString("type"));
        }
    }

    @Test
    void secondConnectIsABadRequest() {
        try (WsClient client = node.connect()) {
            assertError(client.request("{\"type\":\"connect\"}"), "bad_request");
        }
    }

    @Test
    void subscribeAnswersTheChannelsEpochAndLatestOffset() {
        try (WsClient publisher = node.connect(); WsClient client = node.connect()) {
            JsonObject first = publisher.publish("contract.sub", "{\"n\":1}");
            publisher.publish("contract.sub", "{\"n\":2}");
            JsonObject reply = client.subscribe("contract.sub");
            assertEquals("subscribed", reply.getString("type"));
            assertEquals("contract.sub", reply.getString("channel"));
            assertEquals(first.getString("epoch"), reply.getString("epoch"));
            assertEquals(2, reply.getJsonNumber("offset").longValue());
            assertFalse(reply.containsKey("recovered"), "recovered is only in replies to a subscribe with since");
        }
    }

    @Test
    void publishAnswersWhereTheMessageLandedAndSubscribersGetIt() {
        try (WsClient subscriber = node.connect(); WsClient publisher = node.connect()) {
            subscriber.subscribe("contract.pub");
            JsonObject published = publisher.publish("contract.pub", "{\"text\":\"héllo \\\"world\\\"\",\"list\":[1,2.5,null,true]}");
            assertEquals("published", published.getString("type"));
            assertEquals("contract.pub", published.getString("channel"));
            assertEquals(1, published.getJsonNumber("offset").longValue());
            JsonObject message = subscriber.awaitMessages("contract.pub", 1).get(0);
            assertEquals("message", message.getString("type"));
            assertEquals(1, message.getJsonNumber("offset").longValue());
            assertEquals("héllo \"world\"", message.getJsonObject("data").getString("text"));
            assertEquals(4, message.getJsonObject("data").getJsonArray("list").size());
            assertFalse(message.containsKey("id"), "pushes carry no id");
        }
    }

    @Test
    void offsetsStartAtOneAndRiseByOne() {
        try (WsClient publisher = node.connect()) {
            for (int i = 1; i <= 5; i++) {
                assertEquals(i, publisher.publish("contract.offsets", "" + i).getJsonNumber("offset").longValue());
            }
        }
    }

    @Test
    void anyJsonValueButNullIsValidData() {
        try (WsClient client = node.connect()) {
            client.subscribe("contract.values");
            for (String value : List.of("\"text\"", "42", "[1,2]", "false", "{}")) {
                assertEquals("published", client.publish("contract.values", value).getString("type"));
            }
            assertError(client.publish("contract.values", "null"), "bad_request");
            assertError(client.request("{\"type\":\"publish\",\"channel\":\"contract.values\"}"), "bad_request");
            List<JsonObject> messages = client.awaitMessages("contract.values", 5);
            assertEquals("text", messages.get(0).getString("data"));
            assertEquals(42, messages.get(1).getInt("data"));
        }
    }

    @Test
    void unsubscribeStopsDeliveryAndAnswersUnsubscribed() {
        try (WsClient client = node.connect(); WsClient publisher = node.connect()) {
            client.subscribe("contract.unsub");
            publisher.publish("contract.unsub", "1");
            client.awaitMessages("contract.unsub", 1);
            JsonObject reply = client.request("{\"type\":\"unsubscribe\",\"channel\":\"contract.unsub\"}");
            assertEquals("unsubscribed", reply.getString("type"));
            assertEquals("contract.unsub", reply.getString("channel"));
            publisher.publish("contract.unsub", "2");
            // A later reply proves the connection has processed everything sent before it.
            client.request("{\"type\":\"ping\"}");
            publisher.publish("contract.unsub.other", "\"x\"");
            assertEquals(1, client.messages("contract.unsub").size());
        }
    }

    @Test
    void unsubscribeFromAChannelNotSubscribedIsNotSubscribed() {
        try (WsClient client = node.connect()) {
            assertError(client.request("{\"type\":\"unsubscribe\",\"channel\":\"contract.never\"}"), "not_subscribed");
        }
    }

    @Test
    void subscribingTwiceToOneChannelIsABadRequest() {
        try (WsClient client = node.connect()) {
            client.subscribe("contract.twice");
            assertError(client.subscribe("contract.twice"), "bad_request");
        }
    }

    @Test
    void presenceListsTheSubscribedSessions() {
        try (WsClient a = node.connect(); WsClient b = node.connect()) {
            a.subscribe("contract.presence");
            b.subscribe("contract.presence");
            JsonObject reply = a.request("{\"type\":\"presence\",\"channel\":\"contract.presence\"}");
            assertEquals("presence", reply.getString("type"));
            assertEquals("contract.presence", reply.getString("channel"));
            List<String> sessions = reply.getJsonArray("sessions").getValuesAs(JsonObject.class).stream()
                    .map(s -> s.getString("session")).sorted().toList();
            assertEquals(List.of(a.sessionId(), b.sessionId()).stream().sorted().toList(), sessions);
            assertTrue(reply.getJsonArray("sessions").getJsonObject(0).containsKey("user"));
        }
    }

    @Test
    void pingAnswersPong() {
        try (WsClient client = node.connect()) {
            assertEquals("pong", client.request("{\"type\":\"ping\"}").getString("type"));
        }
    }

    @Test
    void malformedJsonGetsAnErrorWithNullIdAndTheConnectionLives() {
        try (WsClient client = node.connect()) {
            client.send("{\"id\":9,\"type\":");
            JsonObject error = client.awaitFrame(f -> "error".equals(f.getString("type")));
            assertTrue(error.isNull("id"));
            assertEquals("bad_request", error.getString("code"));
            assertEquals("pong", client.request("{\"type\":\"ping\"}").getString("type"));
        }
    }

    @Test
    void framesThatAreNotObjectsOrHaveWrongTypesGetClearErrors() {
        try (WsClient client = node.connect()) {
            client.send("[1,2,3]");
            client.send("{\"id\":\"seven\",\"type\":\"ping\"}");
            client.send("{\"id\":1.5,\"type\":\"ping\"}");
            client.send("{\"type\":\"ping\"}");
            client.send("{\"id\":70,\"type\":7}");
            client.send("{\"id\":71,\"type\":\"subscribe\",\"channel\":42}");
            client.send("{\"id\":72,\"type\":\"subscribe\",\"channel\":\"x\",\"since\":{\"epoch\":\"e\",\"offset\":-1}}");
            client.send("{\"id\":73,\"type\":\"subscribe\",\"channel\":\"x\",\"since\":\"yesterday\"}");
            client.send("{\"id\":74,\"type\":\"subscribe\"}");
            client.awaitFrame(f -> f.getInt("id", 0) == 74);
            List<JsonObject> errors = client.frames().stream().filter(f -> "error".equals(f.getString("type"))).toList();
            assertEquals(9, errors.size(), errors::toString);
            errors.forEach(e -> assertEquals("bad_request", e.getString("code"), e::toString));
            assertTrue(errors.get(0).getString("message").contains("JSON object"), errors.get(0)::toString);
            assertTrue(errors.get(1).getString("message").contains("'id'"), errors.get(1)::toString);
            assertTrue(errors.get(5).getString("message").contains("'channel' must be a string"), errors.get(5)::toString);
            assertTrue(errors.get(6).getString("message").contains("since.offset"), errors.get(6)::toString);
            assertTrue(client.isOpen());
        }
    }

    @Test
    void unknownCommandsAreUnknownCommand() {
        try (WsClient client = node.connect()) {
            JsonObject error = client.request("{\"type\":\"teleport\"}");
            assertError(error, "unknown_command");
            assertTrue(error.getString("message").contains("teleport"));
        }
    }

    @Test
    void invalidChannelNamesAreInvalidChannel() {
        try (WsClient client = node.connect()) {
            assertError(client.subscribe("has space"), "invalid_channel");
            assertError(client.subscribe(""), "invalid_channel");
            assertError(client.subscribe("x".repeat(256)), "invalid_channel");
            assertEquals("subscribed", client.subscribe("A-z_0.9:@#" + "y".repeat(245)).getString("type"));
        }
    }

    @Test
    void dataOverTheLimitIsTooLargeAndNothingIsPublished() {
        try (WsClient client = node.connect()) {
            assertError(client.publish("contract.large", "\"" + "x".repeat(1100) + "\""), "too_large");
            assertEquals(0, client.subscribe("contract.large").getJsonNumber("offset").longValue());
        }
    }

    @Test
    void subscriptionsOverTheLimitAreLimitExceeded() {
        try (WsClient client = node.connect()) {
            for (int i = 0; i < 3; i++) {
                assertEquals("subscribed", client.subscribe("contract.limit." + i).getString("type"));
            }
            assertError(client.subscribe("contract.limit.3"), "limit_exceeded");
        }
    }

    @Test
    void binaryFramesGetAnErrorAndTheConnectionLives() {
        try (WsClient client = node.connect()) {
            client.sendBinary(new byte[] {1, 2, 3});
            client.sendBinary(new byte[3000]);
            await().atMost(WsClient.TIMEOUT).until(() -> client.frames().stream().filter(f -> "error".equals(f.getString("type"))).count() == 2);
            client.frames().stream().filter(f -> "error".equals(f.getString("type")))
                    .forEach(error -> assertEquals("bad_request", error.getString("code")));
            assertEquals("pong", client.request("{\"type\":\"ping\"}").getString("type"));
        }
    }

    @Test
    void aFrameWithContentAfterItsObjectIsABadRequest() {
        try (WsClient client = node.connect()) {
            client.send("{\"id\":30,\"type\":\"ping\"} {\"id\":31,\"type\":\"ping\"}");
            JsonObject error = client.awaitFrame(f -> "error".equals(f.getString("type")));
            assertEquals("bad_request", error.getString("code"));
            assertTrue(error.getString("message").contains("after the JSON value"), error::toString);
            assertTrue(client.frames().stream().noneMatch(f -> "pong".equals(f.getString("type"))));
        }
    }

    @Test
    void dataWithHalfASurrogatePairIsRefusedNotMangled() {
        try (WsClient client = node.connect()) {
            JsonObject error = client.publish("contract.surrogate", "\"\\ud800\"");
            assertError(error, "bad_request");
            assertTrue(error.getString("message").contains("surrogate"), error::toString);
            assertEquals("published", client.publish("contract.surrogate", "\"\\ud83d\\ude00\"").getString("type"));
        }
    }

    @Test
    void aFrameOverTheFrameLimitClosesWith1009() {
        try (WsClient client = node.connect()) {
            client.send("{\"id\":1,\"type\":\"ping\",\"pad\":\"" + "x".repeat(5000) + "\"}");
            assertEquals(1009, client.awaitClose().getCloseCode().getCode());
        }
    }

    @Test
    void theHandshakeHasExactlyOneUpgradeAndConnectionHeader() throws Exception {
        try (RawWebSocket raw = RawWebSocket.open(node.ws())) {
            List<String> headers = raw.responseHeaders();
            assertTrue(headers.get(0).startsWith("HTTP/1.1 101"), headers::toString);
            assertEquals(1, headers.stream().filter(h -> h.toLowerCase().startsWith("upgrade:")).count(), headers::toString);
            assertEquals(1, headers.stream().filter(h -> h.toLowerCase().startsWith("connection:")).count(), headers::toString);
            assertEquals(1, headers.stream().filter(h -> h.toLowerCase().startsWith("sec-websocket-accept:")).count(), headers::toString);
        }
    }

    static void assertError(JsonObject frame, String code) {
        assertEquals("error", frame.getString("type"), frame::toString);
        assertEquals(code, frame.getString("code"), frame::toString);
        assertFalse(frame.getString("message").isBlank(), frame::toString);
    }
}
