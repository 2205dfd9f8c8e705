package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.Scrape;
import io.duplex.testing.TestServer;
import io.duplex.testing.Tokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who may read /metrics: metrics.access, the API key, production mode's https, and the management port. */
class MetricsAccessIT {
    private static final String SECRET = "access-secret-0123456789abcdefghijklm";
    private static final String API_KEY = "access-key-0123456789";
    private static final Tokens TOKENS = Tokens.hmac(SECRET);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(URI uri, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void byDefaultTheMetricsNeedAnApiKeyOrAnAdminTokenLikeTheSessionsApi() throws Exception {
        try (TestServer server = TestServer.start("token.hmac.secret", SECRET, "api.key", API_KEY)) {
            URI metrics = server.uri().resolve("metrics");
            HttpResponse<String> anonymous = get(metrics, Map.of());
            assertEquals(401, anonymous.statusCode());
            assertEquals("Bearer", anonymous.headers().firstValue("WWW-Authenticate").orElse(""));
            assertTrue(anonymous.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            assertTrue(anonymous.body().contains("\"code\":\"unauthorized\""), anonymous.body());
            assertEquals(401, get(metrics, Map.of("Authorization", "Bearer not-the-key-0123456789")).statusCode());
            String user = TOKENS.user("alice", List.of("*"), List.of("*"));
            assertEquals(403, get(metrics, Map.of("Authorization", "Bearer " + user)).statusCode(), "a user's token is not enough");
            String admin = TOKENS.make("ops", Duration.ofMinutes(5), Map.of("admin", true));
            assertEquals(200, get(metrics, Map.of("Authorization", "Bearer " + admin)).statusCode());
            Scrape scrape = Scrape.get(metrics, API_KEY);
            assertEquals(1, scrape.value("duplex_ready"));
        }
    }

    @Test
    void aDevNodeWithoutKeysServesThemToAnyoneAsItServesItsApi() throws Exception {
        try (TestServer server = TestServer.start()) {
            assertEquals(200, get(server.uri().resolve("metrics"), Map.of()).statusCode());
            assertTrue(get(server.uri().resolve("metrics"), Map.of("Accept", "application/openmetrics-text; version=1.0.0"))
                    .body().endsWith("# EOF\n"), "OpenMetrics when the scraper asks for it");
        }
    }

    @Test
    void metricsAccessOpenServesAnyoneAndOffServesNoOne() throws Exception {
        try (TestServer open = TestServer.start("api.key", API_KEY, "metrics.access", "open");
                TestServer off = TestServer.start("api.key", API_KEY, "metrics.access", "off")) {
            assertEquals(200, get(open.uri().resolve("metrics"), Map.of()).statusCode());
            assertEquals(401, get(open.uri().resolve("api/sessions"), Map.of()).statusCode(), "the API stays protected");
            assertEquals(404, get(off.uri().resolve("metrics"), Map.of("Authorization", "Bearer " + API_KEY)).statusCode());
        }
    }

    @Test
    void productionModeServesThemOverHttpsOnlyAndTheManagementPortWithoutCredentials() throws Exception {
        try (TestServer server = TestServer.start("mode", "production", "proxy.trusted", "true", "token.hmac.secret", SECRET,
                "api.key", API_KEY, "management.port", "0")) {
            URI main = server.uri().resolve("metrics");
            assertEquals(404, get(main, Map.of("Authorization", "Bearer " + API_KEY, "X-Forwarded-Proto", "https")).statusCode(),
                    "with a management port, the port behind the proxy has no /metrics");
            assertEquals(200, get(server.management().resolve("metrics"), Map.of()).statusCode());
        }
        try (TestServer server = TestServer.start("mode", "production", "proxy.trusted", "true", "token.hmac.secret", SECRET,
                "api.key", API_KEY)) {
            URI main = server.uri().resolve("metrics");
            assertEquals(403, get(main, Map.of("Authorization", "Bearer " + API_KEY)).statusCode(), "plain http in production");
            assertEquals(401, get(main, Map.of("X-Forwarded-Proto", "https")).statusCode());
            assertEquals(200, get(main, Map.of("Authorization", "Bearer " + API_KEY, "X-Forwarded-Proto", "https")).statusCode());
        }
    }
}
