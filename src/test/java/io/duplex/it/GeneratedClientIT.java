package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.client.jdk.model.BatchItemResult;
import io.duplex.client.jersey3.ApiClient;
import io.duplex.client.jersey3.ApiException;
import io.duplex.client.jersey3.ApiResponse;
import io.duplex.client.jersey3.api.ChannelsApi;
import io.duplex.client.jersey3.api.HealthApi;
import io.duplex.client.jersey3.api.MessagesApi;
import io.duplex.client.jersey3.api.SessionsApi;
import io.duplex.client.jersey3.model.BatchMessage;
import io.duplex.client.jersey3.model.BatchRequest;
import io.duplex.client.jersey3.model.BatchResult;
import io.duplex.client.jersey3.model.Check;
import io.duplex.client.jersey3.model.DataBody;
import io.duplex.client.jersey3.model.Health;
import io.duplex.client.jersey3.model.HistoryPage;
import io.duplex.client.jersey3.model.Liveness;
import io.duplex.client.jersey3.model.Message;
import io.duplex.client.jersey3.model.Problem;
import io.duplex.client.jersey3.model.Published;
import io.duplex.client.jersey3.model.Readiness;
import io.duplex.testing.NodeSuite;
import io.duplex.testing.TestServer;
import io.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The clients a caller generates from {@code /api/openapi.json} with OpenAPI Generator (the build generates them from
 * the document the WAR serves) drive every operation against a live node: java with library jersey3, java with library
 * native, and the typescript-fetch client, compiled by tsc and run by Node. Errors reach the caller as the contract's
 * problem document.
 */
class GeneratedClientIT {
    private static final String API_KEY = "generated-client-key-0123456789";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start("api.key", API_KEY);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String root() {
        String uri = server.uri().toString();
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    private static ApiClient jersey3() {
        return new ApiClient().setBasePath(root()).setBearerToken(API_KEY);
    }

    @Test
    void theJersey3ClientDrivesEveryOperation() throws Exception {
        ApiClient client = jersey3();
        ChannelsApi channels = new ChannelsApi(client);
        SessionsApi sessions = new SessionsApi(client);
        String channel = "gen.jersey3";

        HealthApi health = new HealthApi(new ApiClient().setBasePath(root()));
        assertEquals(Health.StatusEnum.UP, health.getHealth().getStatus(), "health needs no credentials");
        assertEquals(Liveness.StatusEnum.UP, health.getLiveness().getStatus());
        Readiness readiness = health.getReadiness();
        assertEquals(Readiness.StatusEnum.UP, readiness.getStatus());
        assertEquals(List.of("accepting", "engine"), readiness.getChecks().stream().map(Check::getName).toList());
        try (WsClient ws = WsClient.connect(server.ws())) {
            ws.subscribe(channel);

            // Publish: typed offsets, and data that is any JSON value.
            Published first = channels.publishMessage(channel, new DataBody().data(Map.of("headline", "hello")), null);
            assertEquals(1L, first.getOffset());
            assertEquals(channel, first.getChannel());
            channels.publishMessage(channel, new DataBody().data(42), null);
            channels.publishMessage(channel, new DataBody().data(List.of("a", true)), null);

            // Idempotent retry: the same key answers the first offset, says it is a replay, and is delivered once.
            ApiResponse<Published> keyed = channels.publishMessageWithHttpInfo(channel, new DataBody().data("order 17"), "order-17");
            ApiResponse<Published> retry = channels.publishMessageWithHttpInfo(channel, new DataBody().data("order 17"), "order-17");
            assertEquals(201, keyed.getStatusCode());
            assertEquals(List.of("false"), keyed.getHeaders().get("Idempotent-Replayed"));
            assertEquals(List.of("true"), retry.getHeaders().get("Idempotent-Replayed"));
            assertEquals(keyed.getData().getOffset(), retry.getData().getOffset());
            assertTrue(retry.getHeaders().get("Location").get(0).endsWith("/api/channels/" + channel + "/messages/4"),
                    retry.getHeaders().toString());
            Problem reused = problem(assertThrows(ApiException.class,
                    () -> channels.publishMessage(channel, new DataBody().data("order 18"), "order-17")), 422);
            assertEquals(Problem.CodeEnum.IDEMPOTENCY_KEY_REUSED, reused.getCode());
            channels.publishMessage(channel, new DataBody().data("last"), null);
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), offsets(ws.awaitMessages(channel, 5)), "the retry was delivered once");

            // History round trip, one message, channel state, the channel list, presence.
            HistoryPage page = channels.getHistory(channel, 0L, 10);
            assertEquals(5L, page.getOffset());
            assertEquals(first.getEpoch(), page.getEpoch());
            assertEquals(List.of(Map.of("headline", "hello"), 42, List.of("a", true), "order 17", "last"),
                    page.getMessages().stream().map(Message::getData).toList());
            assertEquals(42, channels.getMessage(channel, 2L).getData());
            assertEquals(5L, channels.getChannel(channel).getOffset());
            assertEquals(1, channels.getChannel(channel).getSubscribers());
            assertTrue(channels.listChannels().getChannels().stream().anyMatch(c -> c.getChannel().equals(channel)));
            assertEquals(List.of(ws.sessionId()), channels.getPresence(channel).getSessions().stream()
                    .map(m -> m.getSession()).toList());

            // Batch: several channels, a duplicate key, per-message results.
            BatchResult batch = new MessagesApi(client).publishBatch(new BatchRequest().messages(List.of(
                    new BatchMessage().channel(channel).data(6),
                    new BatchMessage().channel(channel + ".other").data(Map.of("x", 1)).idempotencyKey("b-1"),
                    new BatchMessage().channel(channel).data("order 17").idempotencyKey("order-17"))));
            assertEquals(List.of("published", "published", "duplicate"),
                    batch.getResults().stream().map(r -> r.getStatus().getValue()).toList());
            assertEquals(List.of(6L, 1L, 4L), batch.getResults().stream().map(r -> r.getOffset()).toList());

            // Sessions: the live WebSocket session is listed, pushed to and disconnected.
            assertTrue(sessions.listSessions().getSessions().stream().anyMatch(s -> s.getSession().equals(ws.sessionId())));
            assertEquals(List.of(channel), sessions.getSession(ws.sessionId()).getChannels());
            sessions.sendToSession(ws.sessionId(), new DataBody().data(Map.of("note", "just you")));
            JsonObject direct = ws.awaitFrame(f -> "direct".equals(f.getString("type", null)));
            assertEquals("just you", direct.getJsonObject("data").getString("note"));
            sessions.disconnectSession(ws.sessionId());
            assertEquals(4001, ws.awaitClose().getCloseCode().getCode());
        }

        // Errors arrive as the contract's problem, typed.
        assertEquals(Problem.CodeEnum.INVALID_CHANNEL, problem(assertThrows(ApiException.class,
                () -> channels.getChannel("bad name")), 400).getCode());
        assertEquals(Problem.CodeEnum.NOT_FOUND, problem(assertThrows(ApiException.class,
                () -> channels.getMessage(channel, 999L)), 404).getCode());
        assertEquals(Problem.CodeEnum.NOT_FOUND, problem(assertThrows(ApiException.class,
                () -> sessions.disconnectSession("no-such-session")), 404).getCode());
        assertEquals(Problem.CodeEnum.UNAUTHORIZED, problem(assertThrows(ApiException.class,
                () -> new SessionsApi(new ApiClient().setBasePath(root())).listSessions()), 401).getCode());
        Problem tooMany = problem(assertThrows(ApiException.class, () -> channels.getHistory(channel, null, 1_000_000)), 400);
        assertTrue(tooMany.getDetail().contains("'limit'"), tooMany.getDetail());
    }

    /** The problem of a failed call: the jersey3 client deserialises it into the generated Problem. */
    private static Problem problem(ApiException e, int status) {
        assertEquals(status, e.getCode(), e.getResponseBody());
        assertTrue(e.getResponseHeaders().get("Content-Type").get(0).startsWith("application/problem+json"));
        Problem problem = assertInstanceOf(Problem.class, e.getErrorEntity(), e.getResponseBody());
        assertEquals(status, problem.getStatus());
        return problem;
    }

    @Test
    void theNativeClientDrivesEveryOperation() throws Exception {
        io.duplex.client.jdk.ApiClient client = new io.duplex.client.jdk.ApiClient();
        client.updateBaseUri(root());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + API_KEY));
        io.duplex.client.jdk.api.ChannelsApi channels = new io.duplex.client.jdk.api.ChannelsApi(client);
        io.duplex.client.jdk.api.SessionsApi sessions = new io.duplex.client.jdk.api.SessionsApi(client);
        String channel = "gen.native";

        io.duplex.client.jdk.ApiClient anonymous = new io.duplex.client.jdk.ApiClient();
        anonymous.updateBaseUri(root());
        io.duplex.client.jdk.api.HealthApi health = new io.duplex.client.jdk.api.HealthApi(anonymous);
        assertEquals(io.duplex.client.jdk.model.Health.StatusEnum.UP, health.getHealth().getStatus());
        assertEquals(io.duplex.client.jdk.model.Liveness.StatusEnum.UP, health.getLiveness().getStatus());
        assertEquals(io.duplex.client.jdk.model.Readiness.StatusEnum.UP, health.getReadiness().getStatus());
        try (WsClient ws = WsClient.connect(server.ws())) {
            ws.subscribe(channel);

            io.duplex.client.jdk.model.Published first = channels.publishMessage(channel,
                    new io.duplex.client.jdk.model.DataBody().data(Map.of("n", 1)), null);
            assertEquals(1L, first.getOffset());
            var keyed = channels.publishMessageWithHttpInfo(channel, new io.duplex.client.jdk.model.DataBody().data(2), "k-2");
            var retry = channels.publishMessageWithHttpInfo(channel, new io.duplex.client.jdk.model.DataBody().data(2), "k-2");
            assertEquals(201, retry.getStatusCode());
            assertEquals(List.of("true"), retry.getHeaders().get("idempotent-replayed"));
            assertEquals(keyed.getData().getOffset(), retry.getData().getOffset());
            channels.publishMessage(channel, new io.duplex.client.jdk.model.DataBody().data("three"), null);
            assertEquals(List.of(1L, 2L, 3L), offsets(ws.awaitMessages(channel, 3)));

            io.duplex.client.jdk.model.HistoryPage page = channels.getHistory(channel, 1L, 10);
            assertEquals(List.of(2L, 3L), page.getMessages().stream().map(io.duplex.client.jdk.model.Message::getOffset).toList());
            assertEquals(List.of(2, "three"), page.getMessages().stream().map(io.duplex.client.jdk.model.Message::getData).toList());
            assertEquals("three", channels.getMessage(channel, 3L).getData());
            assertEquals(first.getEpoch(), channels.getChannel(channel).getEpoch());
            assertTrue(channels.listChannels().getChannels().stream().anyMatch(c -> c.getChannel().equals(channel)));
            assertEquals(ws.sessionId(), channels.getPresence(channel).getSessions().get(0).getSession());

            var batch = new io.duplex.client.jdk.api.MessagesApi(client).publishBatch(new io.duplex.client.jdk.model.BatchRequest()
                    .messages(List.of(
                            new io.duplex.client.jdk.model.BatchMessage().channel(channel).data(4).idempotencyKey("k-4"),
                            new io.duplex.client.jdk.model.BatchMessage().channel(channel).data(5).idempotencyKey("k-2"),
                            new io.duplex.client.jdk.model.BatchMessage().channel(channel).data(6))));
            assertEquals(List.of("published", "failed", "skipped"),
                    batch.getResults().stream().map(r -> r.getStatus().getValue()).toList());
            BatchItemResult failed = batch.getResults().get(1);
            assertEquals("idempotency_key_reused", failed.getCode());
            assertNull(failed.getOffset());
            assertEquals(4L, channels.getChannel(channel).getOffset(), "nothing after the failed message");

            assertTrue(sessions.listSessions().getSessions().stream().anyMatch(s -> s.getSession().equals(ws.sessionId())));
            assertEquals(ws.sessionId(), sessions.getSession(ws.sessionId()).getSession());
            sessions.sendToSession(ws.sessionId(), new io.duplex.client.jdk.model.DataBody().data("psst"));
            assertEquals("psst", ws.awaitFrame(f -> "direct".equals(f.getString("type", null))).getString("data"));
            sessions.disconnectSession(ws.sessionId());
            assertEquals(4001, ws.awaitClose().getCloseCode().getCode());
        }

        io.duplex.client.jdk.model.Problem invalid = problem(client, assertThrows(io.duplex.client.jdk.ApiException.class,
                () -> channels.publishMessage("bad name", new io.duplex.client.jdk.model.DataBody().data(1), null)), 400);
        assertEquals(io.duplex.client.jdk.model.Problem.CodeEnum.INVALID_CHANNEL, invalid.getCode());
        assertEquals(io.duplex.client.jdk.model.Problem.CodeEnum.NOT_FOUND, problem(client, assertThrows(
                io.duplex.client.jdk.ApiException.class, () -> sessions.getSession("no-such-session")), 404).getCode());
        assertEquals(io.duplex.client.jdk.model.Problem.CodeEnum.BAD_REQUEST, problem(client, assertThrows(
                io.duplex.client.jdk.ApiException.class, () -> channels.publishMessage(channel,
                        new io.duplex.client.jdk.model.DataBody().data(1), "k".repeat(256))), 400).getCode());
        assertEquals(io.duplex.client.jdk.model.Problem.CodeEnum.UNAUTHORIZED, problem(client, assertThrows(
                io.duplex.client.jdk.ApiException.class, () -> new io.duplex.client.jdk.api.SessionsApi(anonymous).listSessions()), 401)
                .getCode());
    }

    /** The problem of a failed call: the native client hands the body over as text, which its ObjectMapper reads. */
    private static io.duplex.client.jdk.model.Problem problem(io.duplex.client.jdk.ApiClient client,
            io.duplex.client.jdk.ApiException e, int status) throws Exception {
        assertEquals(status, e.getCode(), e.getResponseBody());
        assertTrue(e.getResponseHeaders().firstValue("content-type").orElseThrow().startsWith("application/problem+json"));
        io.duplex.client.jdk.model.Problem problem = client.getObjectMapper().readValue(e.getResponseBody(),
                io.duplex.client.jdk.model.Problem.class);
        assertEquals(status, problem.getStatus());
        return problem;
    }

    @Test
    void theTypescriptFetchClientDrivesEveryOperation() throws Exception {
        Path compiled = Path.of(System.getProperty("duplex.openapi.ts", "target/openapi-ts"))
                .resolve("src/test/openapi-ts/calls-every-operation.js");
        assertTrue(compiled.toFile().isFile(), compiled + " is missing: the build compiles it with tsc in the test phase");
        TestServer open = TestServer.start();
        try (WsClient ws = WsClient.connect(open.ws())) {
            URI root = open.uri();
            NodeSuite.runProgram(compiled, Map.of("DUPLEX_URL", root.toString().replaceAll("/$", ""),
                    "DUPLEX_SESSION", ws.sessionId()), Duration.ofMinutes(2));
            assertEquals(4001, ws.awaitClose().getCloseCode().getCode(), "the TypeScript client disconnected the session");
            assertTrue(ws.frames().stream().anyMatch(f -> "direct".equals(f.getString("type", null))));
        } finally {
            open.close();
        }
    }

    private static List<Long> offsets(List<JsonObject> messages) {
        return messages.stream().map(m -> m.getJsonNumber("offset").longValue()).toList();
    }
}
