package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.RawWebSocket;
import io.duplex.testing.RunningNode;
import io.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** REST and WebSocket share one session registry: a WebSocket session is seen, pushed to and closed over REST. */
class SharedRegistryIT {
    @RegisterExtension
    static final RunningNode node = new RunningNode();

    @Test
    void aWebSocketSessionIsListedAndDescribedOverRest() {
        try (WsClient client = node.connect()) {
            client.subscribe("registry.b");
            client.subscribe("registry.a");
            String id = client.sessionId();
            List<String> listed = node.rest().getJson("sessions").getJsonArray("sessions").getValuesAs(JsonObject.class).stream()
                    .map(s -> s.getString("session")).toList();
            assertTrue(listed.contains(id), listed::toString);

            JsonObject session = node.rest().getJson("sessions/" + id);
            assertEquals(id, session.getString("session"));
            assertTrue(session.isNull("user"));
            assertTrue(session.getString("remote").startsWith("127.0.0.1:"), session::toString);
            Instant.parse(session.getString("connectedAt"));
            assertTrue(session.getString("connectedAt").matches(".*T\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), "milliseconds: " + session);
            assertEquals(List.of("registry.a", "registry.b"),
                    session.getJsonArray("channels").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList());
            assertEquals("ws", session.getString("door"), "protocol v1's door: " + session);
        }
    }

    @Test
    void restPushesADirectMessageToOneSession() {
        try (WsClient target = node.connect(); WsClient other = node.connect()) {
            try (Response response = node.rest().post("sessions/" + target.sessionId() + "/messages", "{\"data\":{\"note\":\"just you\"}}")) {
                assertEquals(202, response.getStatus());
            }
            JsonObject direct = target.awaitFrame(f -> "direct".equals(f.getString("type")));
            assertEquals("just you", direct.getJsonObject("data").getString("note"));
            assertTrue(!direct.containsKey("id"));
            other.request("{\"type\":\"ping\"}");
            assertTrue(other.frames().stream().noneMatch(f -> "direct".equals(f.getString("type"))));
        }
    }

    @Test
    void restDisconnectClosesTheSessionWith4001AndItIsGone() {
        try (WsClient client = node.connect()) {
            client.subscribe("registry.gone");
            String id = client.sessionId();
            try (Response response = node.rest().delete("sessions/" + id)) {
                assertEquals(204, response.getStatus());
            }
            assertEquals(4001, client.awaitClose().getCloseCode().getCode());
            try (Response response = node.rest().get("sessions/" + id)) {
                assertEquals(404, response.getStatus());
            }
            assertEquals(0, node.rest().getJson("channels/registry.gone").getInt("subscribers"));
            assertTrue(node.rest().getJson("channels/registry.gone/presence").getJsonArray("sessions").isEmpty());
        }
    }

    @Test
    void aSessionClosedByItsClientLeavesTheRegistry() {
        WsClient client = node.connect();
        String id = client.sessionId();
        client.close();
        await().atMost(WsClient.TIMEOUT).until(() -> {
            try (Response response = node.rest().get("sessions/" + id)) {
                return response.getStatus() == 404;
            }
        });
    }

    @Test
    void aConnectionThatHasNotSentConnectIsNotASessionYet() throws Exception {
        try (RawWebSocket raw = RawWebSocket.open(node.ws())) {
            // The registry knows the connection (the heartbeat does), but REST shows only connected sessions.
            assertEquals(0, node.rest().getJson("health").getInt("sessions"));
            assertTrue(node.rest().getJson("sessions").getJsonArray("sessions").isEmpty());
            raw.sendText("{\"id\":1,\"type\":\"connect\"}");
            raw.readFrame();
            assertEquals(1, node.rest().getJson("sessions").getJsonArray("sessions").size());
        }
    }

    @Test
    void unknownSessionsAre404ForEveryOperation() {
        try (Response get = node.rest().get("sessions/nope"); Response delete = node.rest().delete("sessions/nope");
                Response post = node.rest().post("sessions/nope/messages", "{\"data\":1}")) {
            RestContractIT.assertProblem(get, 404, "not_found");
            RestContractIT.assertProblem(delete, 404, "not_found");
            RestContractIT.assertProblem(post, 404, "not_found");
        }
    }
}
