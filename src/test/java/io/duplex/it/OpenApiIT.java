package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.Rest;
import io.duplex.testing.TestServer;
import jakarta.json.JsonObject;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The OpenAPI document describes every REST endpoint of the contract. */
class OpenApiIT {

    @Test
    void theDocumentDescribesEveryEndpointOfTheContract() {
        try (TestServer server = TestServer.start(); Rest rest = new Rest(server.api())) {
            JsonObject document = rest.getJson("openapi.json");
            assertTrue(document.getString("openapi").startsWith("3."), document.getString("openapi"));
            JsonObject paths = document.getJsonObject("paths");
            Map<String, Set<String>> expected = Map.of(
                    "/api/channels", Set.of("get"),
                    "/api/channels/{channel}", Set.of("get"),
                    "/api/channels/{channel}/messages", Set.of("get", "post"),
                    "/api/channels/{channel}/presence", Set.of("get"),
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
            assertTrue(paths.getJsonObject("/api/health").getJsonObject("get").get("security") == null, "health needs no credentials");
        }
    }
}
