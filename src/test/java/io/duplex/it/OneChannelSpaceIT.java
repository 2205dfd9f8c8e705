package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplex.testing.RunningNode;
import io.duplex.testing.SpringStomp;
import io.duplex.testing.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.sse.InboundSseEvent;
import jakarta.ws.rs.sse.SseEventSource;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One channel space behind every door: what is published over REST, over protocol v1 or as a STOMP SEND reaches a v1
 * WebSocket subscriber, an SSE stream (JAX-RS's own {@code SseEventSource}) and a STOMP subscription (Spring's
 * {@code WebSocketStompClient}) of the same channel, each once, in the channel's order, with the same offsets.
 */
class OneChannelSpaceIT {
    private static final String CHANNEL = "space.shared";

    @RegisterExtension
    static final RunningNode node = new RunningNode();

    @Test
    void everyDoorSeesEveryPublishOnceInTheSameOrderWhicheverDoorItCameThrough() {
        Client http = ClientBuilder.newClient();
        List<InboundSseEvent> sse = new CopyOnWriteArrayList<>();
        try (WsClient v1 = node.connect();
             SpringStomp stomp = SpringStomp.connect(node.server().stomp(), (String) null);
             SseEventSource source = SseEventSource.target(http.target(node.server().api().resolve("channels/" + CHANNEL + "/events")))
                     .build()) {
            source.register(sse::add);
            source.open();
            v1.subscribe(CHANNEL);
            List<SpringStomp.Received> viaStomp = stomp.subscribe("/topic/" + CHANNEL, Map.class);
            await().atMost(WsClient.TIMEOUT).until(() -> sse.stream().anyMatch(e -> "subscribed".equals(e.getName())));

            node.rest().publish(CHANNEL, "{\"n\":1,\"door\":\"rest\"}");
            try (WsClient publisher = node.connect()) {
                publisher.publish(CHANNEL, "{\"n\":2,\"door\":\"ws\"}");
            }
            SpringStomp.awaitReceipt(stomp.session().send("/topic/" + CHANNEL, Map.of("n", 3, "door", "stomp")));
            // A marker last: once it is in everywhere, anything sent twice before it would be in too.
            node.rest().publish(CHANNEL, "{\"n\":4,\"door\":\"rest\"}");

            await().atMost(WsClient.TIMEOUT).until(() -> v1.messages(CHANNEL).size() >= 4 && viaStomp.size() >= 4
                    && messages(sse).size() >= 4);

            List<Integer> order = List.of(1, 2, 3, 4);
            List<JsonObject> ws = v1.messages(CHANNEL);
            assertEquals(order, ws.stream().map(m -> m.getJsonObject("data").getInt("n")).toList(), "v1: " + ws);
            List<Long> offsets = ws.stream().map(m -> m.getJsonNumber("offset").longValue()).toList();

            assertEquals(order, viaStomp.stream().map(r -> ((Number) ((Map<?, ?>) r.payload()).get("n")).intValue()).toList(),
                    "STOMP: " + viaStomp);
            assertEquals(offsets.stream().map(String::valueOf).toList(),
                    viaStomp.stream().map(r -> r.headers().getMessageId()).toList(), "STOMP's message-id is the offset");

            List<InboundSseEvent> events = messages(sse);
            assertEquals(order, events.stream().map(e -> json(e.readData()).getJsonObject("data").getInt("n")).toList(),
                    "SSE: " + events.stream().map(InboundSseEvent::readData).toList());
            assertEquals(offsets, events.stream().map(e -> Long.parseLong(e.getId().substring(e.getId().indexOf(':') + 1))).toList(),
                    "the SSE id carries the offset");
        } finally {
            http.close();
        }
    }

    private static List<InboundSseEvent> messages(List<InboundSseEvent> events) {
        return events.stream().filter(e -> "message".equals(e.getName())).toList();
    }

    private static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
