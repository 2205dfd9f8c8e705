package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.Rest;
import io.duplex.testing.RunningNode;
import io.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every REST endpoint of contract v1, its answers and its problem documents, through the JAX-RS client. */
class RestContractIT {
    @RegisterExtension
    static final RunningNode node = new RunningNode("message.max.bytes", "1KiB", "frame.max.bytes", "4KiB", "history.page.max", "50",
            "batch.max.messages", "3", "batch.max.bytes", "2KiB");

    @Test
    void publishAnswers201WithPositionAndLocation() {
        try (Response response = node.rest().post("channels/rest.pub/messages", "{\"data\":{\"price\":42}}")) {
            assertEquals(201, response.getStatus());
            JsonObject body = Rest.body(response);
            assertEquals("rest.pub", body.getString("channel"));
            assertFalse(body.getString("epoch").isEmpty());
            assertEquals(1, body.getJsonNumber("offset").longValue());
            assertTrue(response.getLocation().getPath().endsWith("/api/channels/rest.pub/messages/1"), response.getLocation()::toString);
            JsonObject message = node.rest().getJson("channels/rest.pub/messages/1");
            assertEquals(42, message.getJsonObject("data").getInt("price"));
        }
    }

    @Test
    void historyReturnsMessagesAfterSinceOldestFirst() {
        IntStream.rangeClosed(1, 10).forEach(i -> node.rest().publish("rest.history", "{\"n\":" + i + "}"));
        JsonObject page = node.rest().getJson("channels/rest.history/messages?since=6");
        assertEquals("rest.history", page.getString("channel"));
        assertEquals(10, page.getJsonNumber("offset").longValue());
        List<Integer> offsets = page.getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                .map(m -> m.getInt("offset")).toList();
        assertEquals(List.of(7, 8, 9, 10), offsets);
        JsonObject first = page.getJsonArray("messages").getJsonObject(0);
        assertEquals(7, first.getJsonObject("data").getInt("n"));
        Instant.parse(first.getString("time"));
    }

    @Test
    void historyLimitTakesTheFirstAfterSinceOrTheNewestWithoutIt() {
        IntStream.rangeClosed(1, 10).forEach(i -> node.rest().publish("rest.limit", "" + i));
        assertEquals(List.of(3, 4), offsets(node.rest().getJson("channels/rest.limit/messages?since=2&limit=2")));
        assertEquals(List.of(8, 9, 10), offsets(node.rest().getJson("channels/rest.limit/messages?limit=3")));
        assertEquals(List.of(), offsets(node.rest().getJson("channels/rest.limit/messages?since=10")));
    }

    @Test
    void historyOfAnUnknownChannelIsEmptyAtOffsetZero() {
        JsonObject page = node.rest().getJson("channels/rest.nothing/messages");
        assertEquals(0, page.getJsonNumber("offset").longValue());
        assertTrue(page.getJsonArray("messages").isEmpty());
    }

    @Test
    void badHistoryParametersAre400WithADetail() {
        for (String query : List.of("since=abc", "since=-1", "limit=0", "limit=51", "limit=x")) {
            try (Response response = node.rest().get("channels/rest.params/messages?" + query)) {
                JsonObject problem = assertProblem(response, 400, "bad_request");
                assertTrue(problem.getString("detail").contains(query.substring(0, query.indexOf('='))), problem::toString);
            }
        }
    }

    @Test
    void aMessageNotInHistoryIs404() {
        node.rest().publish("rest.one", "1");
        try (Response response = node.rest().get("channels/rest.one/messages/2")) {
            assertProblem(response, 404, "not_found");
        }
    }

    @Test
    void channelStateGivesEpochOffsetAndSubscribers() {
        JsonObject published = node.rest().publish("rest.state", "1");
        try (WsClient client = node.connect()) {
            client.subscribe("rest.state");
            JsonObject state = node.rest().getJson("channels/rest.state");
            assertEquals("rest.state", state.getString("channel"));
            assertEquals(published.getString("epoch"), state.getString("epoch"));
            assertEquals(1, state.getJsonNumber("offset").longValue());
            assertEquals(1, state.getInt("subscribers"));
        }
    }

    @Test
    void channelListHasPublishedAndSubscribedChannels() {
        node.rest().publish("rest.list.published", "1");
        try (WsClient client = node.connect()) {
            client.subscribe("rest.list.subscribed");
            List<JsonObject> channels = node.rest().getJson("channels").getJsonArray("channels").getValuesAs(JsonObject.class);
            JsonObject published = channels.stream().filter(c -> c.getString("channel").equals("rest.list.published")).findFirst().orElseThrow();
            JsonObject subscribed = channels.stream().filter(c -> c.getString("channel").equals("rest.list.subscribed")).findFirst().orElseThrow();
            assertEquals(1, published.getJsonNumber("offset").longValue());
            assertEquals(0, published.getInt("subscribers"));
            assertEquals(0, subscribed.getJsonNumber("offset").longValue());
            assertEquals(1, subscribed.getInt("subscribers"));
        }
    }

    @Test
    void presenceListsSessionsWithTheirUser() {
        try (WsClient client = node.connect()) {
            client.subscribe("rest.presence");
            JsonObject presence = node.rest().getJson("channels/rest.presence/presence");
            assertEquals("rest.presence", presence.getString("channel"));
            JsonObject member = presence.getJsonArray("sessions").getJsonObject(0);
            assertEquals(client.sessionId(), member.getString("session"));
            assertTrue(member.containsKey("user") && member.isNull("user"), "anonymous sessions have user null");
        }
    }

    @Test
    void invalidChannelNamesAre400InvalidChannel() {
        try (Response response = node.rest().post("channels/has space/messages", "{\"data\":1}")) {
            JsonObject problem = assertProblem(response, 400, "invalid_channel");
            assertTrue(problem.getString("instance").startsWith("/api/channels/"), problem::toString);
        }
        try (Response response = node.rest().get("channels/" + "x".repeat(256))) {
            assertProblem(response, 400, "invalid_channel");
        }
    }

    @Test
    void channelNamesWithReservedCharactersWorkPercentEncoded() {
        JsonObject published = node.rest().publish("user%2342", "1");
        assertEquals("user#42", published.getString("channel"));
        assertEquals(1, node.rest().getJson("channels/user%2342").getJsonNumber("offset").longValue());
    }

    @Test
    void bodiesThatAreNotTheDocumentAre400() {
        for (String body : List.of("{\"data\":", "[]", "{\"dat\":1}", "{\"data\":null}", "")) {
            try (Response response = node.rest().post("channels/rest.bad/messages", body)) {
                assertProblem(response, 400, "bad_request");
            }
        }
        try (Response response = node.rest().target("channels/rest.bad/messages").request()
                .post(Entity.entity("data=1", MediaType.APPLICATION_FORM_URLENCODED))) {
            assertProblem(response, 415, "bad_request");
        }
    }

    @Test
    void bodiesMustBeOneUtf8JsonObjectAndNothingElse() {
        try (Response trailing = node.rest().post("channels/rest.strict/messages", "{\"data\":1} {\"data\":2}")) {
            assertTrue(assertProblem(trailing, 400, "bad_request").getString("detail").contains("after the JSON value"));
        }
        try (Response latin = node.rest().target("channels/rest.strict/messages").request()
                .post(Entity.entity("{\"data\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1),
                        MediaType.APPLICATION_JSON_TYPE.withCharset("ISO-8859-1")))) {
            assertTrue(assertProblem(latin, 415, "bad_request").getString("detail").contains("UTF-8"));
        }
        byte[] invalid = {'{', '"', 'd', 'a', 't', 'a', '"', ':', '"', (byte) 0xE9, '"', '}'};
        try (Response bytes = node.rest().target("channels/rest.strict/messages").request()
                .post(Entity.entity(invalid, MediaType.APPLICATION_JSON_TYPE))) {
            assertTrue(assertProblem(bytes, 400, "bad_request").getString("detail").contains("not valid UTF-8"));
        }
        try (Response surrogate = node.rest().post("channels/rest.strict/messages", "{\"data\":\"\\udc00\"}")) {
            assertTrue(assertProblem(surrogate, 400, "bad_request").getString("detail").contains("surrogate"));
        }
        assertEquals(0, node.rest().getJson("channels/rest.strict").getJsonNumber("offset").longValue());
    }

    @Test
    void urisTheServerRefusesBeforeTheApiSeesThemAreProblemsToo() throws IOException {
        for (String path : List.of("/api/channels/a%2Fb", "/api/channels/a%00b", "/api/channels/x%")) {
            RawResponse raw = rawGet(path);
            assertEquals(400, raw.status(), path);
            assertEquals("application/problem+json", raw.contentType(), path);
            assertTrue(raw.body().contains("\"code\":\"bad_request\""), raw.body());
        }
    }

    // ---- content negotiation: JSON on success, a problem on error, whatever JSON type the client accepts ----

    @Test
    void aClientAcceptingOnlyProblemJsonGetsJsonOnSuccessAndAProblemOnError() {
        node.rest().publish("rest.accept", "1");
        try (Response ok = node.rest().target("channels/rest.accept").request("application/problem+json").get()) {
            assertEquals(200, ok.getStatus());
            assertEquals(MediaType.APPLICATION_JSON_TYPE, ok.getMediaType());
            assertEquals(1, Rest.body(ok).getJsonNumber("offset").longValue());
        }
        try (Response error = node.rest().target("channels/rest accept").request(MediaType.APPLICATION_JSON).get()) {
            assertProblem(error, 400, "invalid_channel");
        }
        try (Response both = node.rest().target("channels/rest.accept/messages").request("application/json", "application/problem+json").get()) {
            assertEquals(200, both.getStatus());
        }
    }

    @Test
    void answersWithoutABodyIgnoreAccept() {
        try (WsClient client = node.connect()) {
            try (Response sent = node.rest().target("sessions/" + client.sessionId() + "/messages").request("text/plain")
                    .post(Entity.entity("{\"data\":1}", MediaType.APPLICATION_JSON))) {
                assertEquals(202, sent.getStatus());
            }
            try (Response gone = node.rest().target("sessions/" + client.sessionId()).request("application/problem+json").delete()) {
                assertEquals(204, gone.getStatus());
            }
            assertEquals(4001, client.awaitClose().getCloseCode().getCode());
        }
    }

    @Test
    void anAcceptNamingNoJsonTypeIs406AsAProblem() {
        try (Response refused = node.rest().target("channels").request("text/html").get()) {
            assertProblem(refused, 406, "bad_request");
        }
    }

    // ---- batch publish ----

    @Test
    void aBatchPublishesInOrderWithOneResultPerMessage() {
        try (Response response = node.rest().post("messages", "{\"messages\":[{\"channel\":\"rest.batch\",\"data\":1},"
                + "{\"channel\":\"rest.batch.b\",\"data\":{\"x\":2},\"idempotencyKey\":\"b2\"},{\"channel\":\"rest.batch\",\"data\":3}]}")) {
            assertEquals(200, response.getStatus());
            List<JsonObject> results = Rest.body(response).getJsonArray("results").getValuesAs(JsonObject.class);
            assertEquals(List.of("published", "published", "published"), results.stream().map(r -> r.getString("status")).toList());
            assertEquals(List.of(1, 1, 2), results.stream().map(r -> r.getInt("offset")).toList());
            assertEquals(List.of("rest.batch", "rest.batch.b", "rest.batch"), results.stream().map(r -> r.getString("channel")).toList());
        }
        assertEquals(List.of(1, 2), offsets(node.rest().getJson("channels/rest.batch/messages?since=0")));
    }

    @Test
    void aBatchWithOneBadMessageIsRefusedWholeNamingIt() {
        try (Response response = node.rest().post("messages", "{\"messages\":[{\"channel\":\"rest.batch.bad\",\"data\":1},"
                + "{\"channel\":\"bad name\",\"data\":2}]}")) {
            JsonObject problem = assertProblem(response, 400, "invalid_channel");
            assertTrue(problem.getString("detail").startsWith("messages[1].channel: "), problem::toString);
        }
        try (Response response = node.rest().post("messages", "{\"messages\":[{\"channel\":\"rest.batch.bad\"}]}")) {
            assertTrue(assertProblem(response, 400, "bad_request").getString("detail").contains("messages[0].data"));
        }
        try (Response response = node.rest().post("messages", "{\"messages\":[]}")) {
            assertProblem(response, 400, "bad_request");
        }
        assertEquals(0, node.rest().getJson("channels/rest.batch.bad").getJsonNumber("offset").longValue(), "nothing was published");
    }

    @Test
    void aBatchOverItsLimitsIsRefusedWholeWith413() {
        String one = "{\"channel\":\"rest.batch.big\",\"data\":1}";
        try (Response response = node.rest().post("messages", "{\"messages\":[" + String.join(",", one, one, one, one) + "]}")) {
            assertTrue(assertProblem(response, 413, "too_large").getString("detail").contains("batch.max.messages"));
        }
        String big = "\"" + "x".repeat(1100) + "\"";
        try (Response response = node.rest().post("messages", "{\"messages\":[{\"channel\":\"rest.batch.big\",\"data\":" + big + "}]}")) {
            assertTrue(assertProblem(response, 413, "too_large").getString("detail").contains("messages[0].data"));
        }
        String half = "{\"channel\":\"rest.batch.big\",\"data\":\"" + "y".repeat(900) + "\"}";
        try (Response response = node.rest().post("messages", "{\"messages\":[" + String.join(",", half, half, half) + "]}")) {
            assertTrue(assertProblem(response, 413, "too_large").getString("detail").contains("batch.max.bytes"));
        }
        assertEquals(0, node.rest().getJson("channels/rest.batch.big").getJsonNumber("offset").longValue());
    }

    @Test
    void aBatchStopsAtAReusedKeyAndSkipsTheRest() {
        try (Response response = node.rest().post("messages", "{\"messages\":[{\"channel\":\"rest.batch.key\",\"data\":1,\"idempotencyKey\":\"k\"},"
                + "{\"channel\":\"rest.batch.key\",\"data\":2,\"idempotencyKey\":\"k\"},{\"channel\":\"rest.batch.key\",\"data\":3}]}")) {
            assertEquals(200, response.getStatus());
            List<JsonObject> results = Rest.body(response).getJsonArray("results").getValuesAs(JsonObject.class);
            assertEquals(List.of("published", "failed", "skipped"), results.stream().map(r -> r.getString("status")).toList());
            assertEquals("idempotency_key_reused", results.get(1).getString("code"));
            assertTrue(results.get(2).isNull("offset"));
        }
        assertEquals(1, node.rest().getJson("channels/rest.batch.key").getJsonNumber("offset").longValue());
    }

    private record RawResponse(int status, String contentType, String body) {
    }

    /** A GET written by hand: HTTP clients refuse to send URIs like these. */
    private static RawResponse rawGet(String path) throws IOException {
        try (Socket socket = new Socket(node.server().uri().getHost(), node.server().uri().getPort())) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = response.indexOf("\r\n\r\n");
            String contentType = response.substring(0, split).lines().filter(l -> l.toLowerCase().startsWith("content-type:"))
                    .map(l -> l.substring("content-type:".length()).trim()).findFirst().orElse("");
            return new RawResponse(Integer.parseInt(response.substring(9, 12)), contentType, response.substring(split + 4));
        }
    }

    @Test
    void dataOverTheLimitIs413AndBodiesOverTheFrameLimitToo() {
        try (Response response = node.rest().post("channels/rest.large/messages", "{\"data\":\"" + "x".repeat(1100) + "\"}")) {
            assertProblem(response, 413, "too_large");
        }
        try (Response response = node.rest().post("channels/rest.large/messages", "{\"data\":\"" + "x".repeat(5000) + "\"}")) {
            assertProblem(response, 413, "too_large");
        }
        assertEquals(0, node.rest().getJson("channels/rest.large").getJsonNumber("offset").longValue());
    }

    @Test
    void unknownPathsAre404AndWrongMethods405AsProblems() {
        try (Response response = node.rest().get("no/such/thing")) {
            assertProblem(response, 404, "not_found");
        }
        try (Response response = node.rest().delete("channels")) {
            assertProblem(response, 405, "bad_request");
            assertTrue(response.getAllowedMethods().contains("GET"));
        }
    }

    @Test
    void healthIsUpWithTheEngine() {
        JsonObject health = node.rest().getJson("health");
        assertEquals("up", health.getString("status"));
        assertEquals("memory", health.getString("engine"));
        assertEquals(0, health.getJsonArray("bridges").size(), "a node without the bridges setting runs none");
    }

    static JsonObject assertProblem(Response response, int status, String code) {
        assertEquals(status, response.getStatus());
        assertEquals("application/problem+json", response.getMediaType().toString());
        JsonObject problem = Rest.body(response);
        assertEquals(status, problem.getInt("status"), problem::toString);
        assertEquals(code, problem.getString("code"), problem::toString);
        assertFalse(problem.getString("detail").isBlank(), problem::toString);
        assertFalse(problem.getString("title").isBlank(), problem::toString);
        return problem;
    }

    private static List<Integer> offsets(JsonObject page) {
        return page.getJsonArray("messages").getValuesAs(JsonObject.class).stream().map(m -> m.getInt("offset")).toList();
    }
}
