package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.error.ErrorCode;
import io.duplex.testing.Frames;
import io.duplex.testing.Rest;
import io.duplex.testing.TestServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI document describes every REST endpoint of the contract, in a form that generates working clients. */
class OpenApiIT {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theDocumentDescribesEveryEndpointOfTheContract() {
        try (Rest rest = new Rest(server.api())) {
            JsonObject document = rest.getJson("openapi.json");
            assertTrue(document.getString("openapi").startsWith("3."), document.getString("openapi"));
            JsonObject paths = document.getJsonObject("paths");
            Map<String, Set<String>> expected = Map.of(
                    "/api/channels", Set.of("get"),
                    "/api/channels/{channel}", Set.of("get"),
                    "/api/channels/{channel}/messages", Set.of("get", "post"),
                    "/api/channels/{channel}/presence", Set.of("get"),
                    "/api/channels/{channel}/messages/{offset}", Set.of("get"),
                    "/api/messages", Set.of("post"),
                    "/api/sessions", Set.of("get"),
                    "/api/sessions/{id}", Set.of("get", "delete"),
                    "/api/sessions/{id}/messages", Set.of("post"),
                    "/api/health", Set.of("get"));
            expected.forEach((path, methods) -> {
                assertTrue(paths.containsKey(path), path + " missing; paths are " + paths.keySet());
                assertTrue(paths.getJsonObject(path).keySet().containsAll(methods), path + " lacks one of " + methods);
            });
            JsonObject schemas = document.getJsonObject("components").getJsonObject("schemas");
            assertTrue(schemas.getJsonObject("Published").getJsonObject("properties").keySet()
                    .containsAll(Set.of("channel", "epoch", "offset")), schemas::toString);
            assertTrue(schemas.containsKey("Problem"));
            assertTrue(document.getJsonObject("components").getJsonObject("securitySchemes").containsKey("bearer"),
                    "the bearer scheme (API key or token) is documented");
            JsonObject publish = paths.getJsonObject("/api/channels/{channel}/messages").getJsonObject("post").getJsonObject("responses");
            assertTrue(publish.containsKey("401") && publish.containsKey("403"), "401 and 403 are documented: " + publish.keySet());
            for (String health : List.of("/api/health", "/api/health/live", "/api/health/ready")) {
                assertTrue(paths.containsKey(health), health + " missing");
                assertTrue(paths.getJsonObject(health).getJsonObject("get").get("security") == null, health + " needs no credentials");
            }
        }
    }

    /** The build generated the clients from target/openapi/openapi.json; the WAR must serve exactly that document. */
    @Test
    void theLiveDocumentIsTheOneTheClientsWereGeneratedFrom() throws Exception {
        Path built = Path.of(System.getProperty("duplex.openapi", "target/openapi/openapi.json"));
        try (Rest rest = new Rest(server.api())) {
            assertEquals(Frames.parse(Files.readString(built)), rest.getJson("openapi.json"), "served vs " + built);
            try (Response yaml = rest.get("openapi.yaml")) {
                assertEquals(200, yaml.getStatus());
                assertTrue(yaml.readEntity(String.class).contains("operationId: publishMessage"));
            }
        }
    }

    @Test
    void everyOperationHasAStableIdOneTagAndTypedAnswers() {
        try (Rest rest = new Rest(server.api())) {
            JsonObject document = rest.getJson("openapi.json");
            assertEquals("..", document.getJsonArray("servers").getJsonObject(0).getString("url"),
                    "relative to the document: works under any context path and behind a proxy");
            List<String> ids = new ArrayList<>();
            JsonObject paths = document.getJsonObject("paths");
            for (String path : paths.keySet()) {
                for (Map.Entry<String, JsonValue> method : paths.getJsonObject(path).entrySet()) {
                    JsonObject operation = method.getValue().asJsonObject();
                    String where = method.getKey() + " " + path;
                    ids.add(operation.getString("operationId"));
                    assertEquals(1, operation.getJsonArray("tags").size(), where);
                    for (Map.Entry<String, JsonValue> response : operation.getJsonObject("responses").entrySet()) {
                        JsonObject answer = response.getValue().asJsonObject();
                        String code = response.getKey();
                        if (code.startsWith("2") && !code.equals("202") && !code.equals("204")) {
                            // JSON, or for the event streams (io.duplex.transport.sse) text/event-stream.
                            JsonObject content = answer.getJsonObject("content");
                            JsonObject body = path.endsWith("/events") ? content.getJsonObject("text/event-stream")
                                    : content.getJsonObject("application/json");
                            assertTrue(body != null && body.containsKey("schema"), where + " " + code + " has a schema");
                        } else if (code.startsWith("4") || code.startsWith("5")) {
                            assertTrue(answer.containsKey("$ref") || path.startsWith("/api/health"), where + " " + code + " is a problem");
                        }
                    }
                }
            }
            assertEquals(Set.of("listChannels", "getChannel", "publishMessage", "getHistory", "getMessage", "getPresence",
                    "publishBatch", "listSessions", "getSession", "disconnectSession", "sendToSession", "getHealth", "getLiveness",
                    "getReadiness", "streamChannel", "streamChannels"), Set.copyOf(ids));
            assertEquals(ids.size(), Set.copyOf(ids).size(), "operationIds are unique");

            JsonObject schemas = document.getJsonObject("components").getJsonObject("schemas");
            assertEquals("int64", schemas.getJsonObject("Published").getJsonObject("properties").getJsonObject("offset").getString("format"));
            assertFalse(schemas.getJsonObject("DataBody").getJsonObject("properties").getJsonObject("data").containsKey("type"),
                    "data is any JSON value");
            List<String> codes = schemas.getJsonObject("Problem").getJsonObject("properties").getJsonObject("code")
                    .getJsonArray("enum").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
            assertEquals(Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList(), codes);
            JsonObject publish = paths.getJsonObject("/api/channels/{channel}/messages").getJsonObject("post");
            assertTrue(publish.getJsonObject("responses").getJsonObject("201").getJsonObject("headers").getJsonObject("Location")
                    .containsKey("schema"), "the Location header has a schema");
        }
    }
}
