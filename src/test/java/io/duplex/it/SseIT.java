package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.EventStream;
import io.duplex.testing.Rest;
import io.duplex.testing.RunningNode;
import io.duplex.testing.TestServer;
import io.duplex.testing.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.InboundSseEvent;
import jakarta.ws.rs.sse.SseEventSource;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Server-Sent Events with real clients: JAX-RS's own {@link SseEventSource} (Jersey's), the JDK's HttpClient and
 * {@code curl -N}. Messages published over REST and WebSocket reach streams of one and of several channels; a stream
 * that is cut resumes from its last event id with nothing missed and nothing twice.
 */
class SseIT {
    @RegisterExtension
    static final RunningNode node = new RunningNode("sse.heartbeat.interval", "1s", "sse.retry", "200ms");

    private static URI events(String pathAndQuery) {
        return node.server().api().resolve(pathAndQuery);
    }

    @Test
    void jaxRsSseEventSourceReceivesWhatIsPublishedOverRestAndWebSocket() {
        Client client = ClientBuilder.newClient();
        List<InboundSseEvent> received = new CopyOnWriteArrayList<>();
        try (SseEventSource source = SseEventSource.target(client.target(events("channels/sse.jaxrs/events"))).build()) {
            source.register(received::add);
            source.open();
            await().atMost(WsClient.TIMEOUT).until(() -> received.stream().anyMatch(e -> "subscribed".equals(e.getName())));
            node.rest().publish("sse.jaxrs", "{\"n\":1}");
            try (WsClient ws = node.connect()) {
                ws.publish("sse.jaxrs", "{\"n\":2}");
            }
            await().atMost(WsClient.TIMEOUT).until(() -> messages(received).size() == 2);
            List<InboundSseEvent> messages = messages(received);
            String epoch = node.rest().getJson("channels/sse.jaxrs").getString("epoch");
            assertEquals(epoch + ":1", messages.get(0).getId());
            assertEquals(epoch + ":2", messages.get(1).getId());
            JsonObject first = json(messages.get(0).readData());
            assertEquals("sse.jaxrs", first.getString("channel"));
            assertEquals(1, first.getInt("offset"));
            assertEquals(1, first.getJsonObject("data").getInt("n"));
            assertNotNull(first.getString("time"));
            assertEquals(2, json(messages.get(1).readData()).getJsonObject("data").getInt("n"));
        } finally {
            client.close();
        }
    }

    @Test
    void aStreamIsASessionOfTheSseDoorThatTheRestApiDisconnectsAndSseEventSourceResumesWithNothingMissed() {
        Client client = ClientBuilder.newClient();
        List<InboundSseEvent> received = new CopyOnWriteArrayList<>();
        try (SseEventSource source = SseEventSource.target(client.target(events("channels/sse.resume/events")))
                .reconnectingEvery(100, TimeUnit.MILLISECONDS).build()) {
            source.register(received::add);
            source.open();
            await().atMost(WsClient.TIMEOUT).until(() -> received.stream().anyMatch(e -> "subscribed".equals(e.getName())));
            node.rest().publish("sse.resume", "{\"n\":1}");
            node.rest().publish("sse.resume", "{\"n\":2}");
            await().atMost(WsClient.TIMEOUT).until(() -> messages(received).size() == 2);

            JsonObject session = sseSession("sse.resume");
            assertEquals(List.of("sse.resume"), session.getJsonArray("channels").getValuesAs(jakarta.json.JsonString.class)
                    .stream().map(jakarta.json.JsonString::getString).toList());
            try (Response deleted = node.rest().delete("sessions/" + session.getString("session"))) {
                assertEquals(204, deleted.getStatus());
            }
            InboundSseEvent close = await().atMost(WsClient.TIMEOUT).until(
                    () -> received.stream().filter(e -> "close".equals(e.getName())).findFirst().orElse(null), e -> e != null);
            assertEquals(4001, json(close.readData()).getInt("code"));
            // Published while the client is away (or reconnecting): recovered from history on its reconnection.
            for (int n = 3; n <= 6; n++) {
                node.rest().publish("sse.resume", "{\"n\":" + n + "}");
            }
            await().atMost(WsClient.TIMEOUT).until(() -> messages(received).size() >= 6);
            node.rest().publish("sse.resume", "{\"n\":7}");
            await().atMost(WsClient.TIMEOUT).until(() -> messages(received).size() >= 7);
            assertEquals(LongStream.rangeClosed(1, 7).boxed().toList(),
                    messages(received).stream().map(e -> (long) json(e.readData()).getInt("offset")).toList());
            assertFalse(sseSession("sse.resume").getString("session").equals(session.getString("session")),
                    "the reconnection is a new session");
        } finally {
            client.close();
        }
    }

    @Test
    void lastEventIdRecoversExactlyTheMissedMessagesThenLiveOnes() {
        for (int n = 1; n <= 5; n++) {
            node.rest().publish("sse.since", "{\"n\":" + n + "}");
        }
        String epoch = node.rest().getJson("channels/sse.since").getString("epoch");
        try (EventStream stream = EventStream.open(events("channels/sse.since/events?since=" + epoch + ":1"),
                Map.of("Last-Event-ID", epoch + ":2"))) {
            assertEquals(200, stream.status());
            assertTrue(stream.header("Content-Type").startsWith("text/event-stream"), stream.header("Content-Type"));
            assertEquals("no", stream.header("X-Accel-Buffering"));
            EventStream.Event subscribed = stream.awaitEvent(e -> e.event().equals("subscribed"));
            assertTrue(subscribed.json().getBoolean("recovered"));
            stream.awaitMessages(3);
            node.rest().publish("sse.since", "{\"n\":6}");
            List<EventStream.Event> messages = stream.awaitMessages(4);
            assertEquals(List.of(epoch + ":3", epoch + ":4", epoch + ":5", epoch + ":6"),
                    messages.stream().map(EventStream.Event::id).toList());
            assertTrue(stream.lines().contains("retry: 200"), stream.lines()::toString);
        }
    }

    @Test
    void aPlaceInAnotherEpochIsAnExplicitResetEventWhoseIdIsTheChannelsLatest() {
        node.rest().publish("sse.reset", "{\"n\":1}");
        String epoch = node.rest().getJson("channels/sse.reset").getString("epoch");
        try (EventStream stream = EventStream.open(events("channels/sse.reset/events?since=oldepoch:7"), Map.of())) {
            EventStream.Event reset = stream.awaitEvent(e -> e.event().equals("reset"));
            assertEquals(epoch + ":1", reset.id());
            assertFalse(reset.json().getBoolean("recovered"));
            assertEquals(epoch, reset.json().getString("epoch"));
            assertEquals(1, reset.json().getInt("offset"));
        }
    }

    @Test
    void aStreamOfSeveralChannelsCarriesEveryChannelsPlaceAndResumesThemAll() {
        node.rest().publish("sse.multi.a", "{\"n\":1}");
        String a = node.rest().getJson("channels/sse.multi.a").getString("epoch");
        String lastId;
        try (EventStream stream = EventStream.open(events("events?channel=sse.multi.a&channel=sse.multi.b"), Map.of())) {
            await().atMost(WsClient.TIMEOUT).until(() -> stream.events().stream().filter(e -> e.event().equals("subscribed")).count() == 2);
            node.rest().publish("sse.multi.b", "{\"n\":1}");
            node.rest().publish("sse.multi.a", "{\"n\":2}");
            List<EventStream.Event> messages = stream.awaitMessages(2);
            String b = node.rest().getJson("channels/sse.multi.b").getString("epoch");
            assertEquals("sse.multi.a=" + a + ":1,sse.multi.b=" + b + ":1", messages.get(0).id());
            assertEquals("sse.multi.a=" + a + ":2,sse.multi.b=" + b + ":1", messages.get(1).id());
            lastId = messages.get(1).id();
        }
        node.rest().publish("sse.multi.b", "{\"n\":2}");
        node.rest().publish("sse.multi.a", "{\"n\":3}");
        try (EventStream stream = EventStream.open(events("events?channel=sse.multi.a&channel=sse.multi.b"),
                Map.of("Last-Event-ID", lastId))) {
            List<EventStream.Event> messages = stream.awaitMessages(2);
            // Each channel recovers in the order asked: a's missed message, then b's.
            assertEquals(List.of("sse.multi.a:3", "sse.multi.b:2"), messages.stream()
                    .map(e -> e.json().getString("channel") + ":" + e.json().getInt("offset")).toList());
            node.rest().publish("sse.multi.b", "{\"n\":3}");
            assertEquals(3, stream.awaitMessages(3).size());
            assertTrue(stream.messages().get(2).id().endsWith(":3,sse.multi.b=" + node.rest().getJson("channels/sse.multi.b")
                    .getString("epoch") + ":3"), stream.messages().get(2)::id);
        }
    }

    @Test
    void curlSeesTheRetryAdviceHeartbeatCommentsAndEvents() {
        try (EventStream curl = EventStream.curl(events("channels/sse.curl/events").toString())) {
            curl.awaitEvent(e -> e.event().equals("subscribed"));
            node.rest().publish("sse.curl", "{\"via\":\"curl\"}");
            EventStream.Event message = curl.awaitEvent(e -> e.event().equals("message"));
            assertEquals("curl", message.json().getJsonObject("data").getString("via"));
            await().atMost(WsClient.TIMEOUT).until(() -> curl.comments().contains("ping"));
            assertEquals("retry: 200", curl.lines().get(0));
        }
    }

    @Test
    void aDirectMessageToTheSessionIsADirectEvent() {
        try (EventStream stream = EventStream.open(events("channels/sse.direct/events"), Map.of())) {
            stream.awaitEvent(e -> e.event().equals("subscribed"));
            String id = stream.header("Duplex-Session");
            try (Response response = node.rest().post("sessions/" + id + "/messages", "{\"data\":{\"just\":\"you\"}}")) {
                assertEquals(202, response.getStatus());
            }
            EventStream.Event direct = stream.awaitEvent(e -> e.event().equals("direct"));
            assertEquals("you", direct.json().getString("just"));
            assertEquals("sse", node.rest().getJson("sessions/" + id).getString("door"));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "channels/bad%20name/events||invalid_channel|allowed are",
        "channels/sse.bad/events?since=7||bad_request|since must be EPOCH:OFFSET",
        "channels/sse.bad/events?since=ep:x||bad_request|since must end in an offset",
        "channels/sse.bad/events|ep:-1|bad_request|Last-Event-ID must end in an offset",
        "channels/sse.bad/events|other=ep:1|bad_request|Last-Event-ID names channel 'other'",
        "events||bad_request|name the channels",
        "events?channel=a&channel=a||bad_request|asked for twice",
        "events?channel=a&channel=b&since=ep:1||bad_request|since must name each channel",
    })
    void badInputIsAProblemBeforeTheStreamStarts(String path, String lastEventId, String code, String detail)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(events(path)).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, response.statusCode(), response::body);
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        JsonObject problem = json(response.body());
        assertEquals(code, problem.getString("code"));
        assertTrue(problem.getString("detail").contains(detail), problem::toString);
        assertEquals(400, problem.getInt("status"));
    }

    @Test
    void otherMethodsAreRefusedWith405() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(events("channels/sse.x/events"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, response.statusCode());
        assertEquals("GET", response.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void overHttp2StreamsShareOneConnection() throws IOException, InterruptedException {
        try (TestServer server = TestServer.start("h2c", "true"); Rest rest = new Rest(server.api())) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(server.api().resolve("health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_2, health.version(), "h2c upgrade");
            try (EventStream a = EventStream.open(client, server.api().resolve("channels/h2.a/events"), Map.of());
                    EventStream b = EventStream.open(client, server.api().resolve("channels/h2.b/events"), Map.of())) {
                assertEquals(HttpClient.Version.HTTP_2, a.version());
                assertEquals(HttpClient.Version.HTTP_2, b.version());
                a.awaitEvent(e -> e.event().equals("subscribed"));
                b.awaitEvent(e -> e.event().equals("subscribed"));
                rest.publish("h2.a", "{\"to\":\"a\"}");
                rest.publish("h2.b", "{\"to\":\"b\"}");
                assertEquals("a", a.awaitMessages(1).get(0).json().getJsonObject("data").getString("to"));
                assertEquals("b", b.awaitMessages(1).get(0).json().getJsonObject("data").getString("to"));
                List<String> remotes = rest.getJson("sessions").getJsonArray("sessions").getValuesAs(JsonObject.class).stream()
                        .filter(s -> s.getString("door").equals("sse")).map(s -> s.getString("remote")).toList();
                assertEquals(2, remotes.size());
                assertEquals(remotes.get(0), remotes.get(1), "two streams, one connection (the same client port)");
            }
        }
    }

    private static JsonObject sseSession(String channel) {
        return await().atMost(WsClient.TIMEOUT).until(() -> node.rest().getJson("sessions").getJsonArray("sessions")
                .getValuesAs(JsonObject.class).stream()
                .filter(s -> s.getString("door").equals("sse") && s.getJsonArray("channels").toString().contains("\"" + channel + "\""))
                .findFirst().orElse(null), s -> s != null);
    }

    private static List<InboundSseEvent> messages(List<InboundSseEvent> events) {
        return events.stream().filter(e -> "message".equals(e.getName())).toList();
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
