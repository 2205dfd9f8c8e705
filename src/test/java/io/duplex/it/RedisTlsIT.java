package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.RedisServer;
import io.duplex.testing.Rest;
import io.duplex.testing.TestCertificate;
import io.duplex.testing.WarProcess;
import jakarta.json.JsonObject;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://}: the node reaches Redis over TLS and verifies Redis's certificate against the JVM's trust store
 * (the standard {@code javax.net.ssl.trustStore} settings). A node that does not trust the certificate stays unhealthy
 * and says why, once.
 */
class RedisTlsIT {
    private static final Duration CONNECTED = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void aNodeThatTrustsRedissCertificateUsesItAndOneThatDoesNotSaysWhy() throws Exception {
        TestCertificate certificate = TestCertificate.ec();
        Path pem = certificate.writeCertificate(tmp.resolve("redis.crt"));
        Path key = certificate.writePkcs8Key(tmp.resolve("redis.key"));
        Path trustStore = tmp.resolve("trust.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("redis", certificate.certificate());
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            store.store(out, "changeit".toCharArray());
        }

        try (RedisServer redis = RedisServer.withTls(pem, key)) {
            String uri = "rediss://127.0.0.1:" + redis.tlsPort();
            try (WarProcess trusting = WarProcess.start(tmp.resolve("trusting"),
                    List.of("-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStorePassword=changeit"),
                    "--port", "0", "--engine", "redis", "--redis-uri", uri);
                    Rest rest = new Rest(trusting.awaitListening().resolve("api/"))) {
                await().atMost(CONNECTED).until(() -> rest.healthStatus() == 200);
                JsonObject published = rest.publish("it.rediss", "{\"over\":\"tls\"}");
                assertEquals(1, published.getJsonNumber("offset").longValue());
                assertEquals("tls", rest.getJson("channels/it.rediss/messages").getJsonArray("messages").getJsonObject(0)
                        .getJsonObject("data").getString("over"));
            }

            try (WarProcess untrusting = WarProcess.start(tmp.resolve("untrusting"), "--port", "0", "--engine", "redis",
                    "--redis-uri", uri)) {
                URI base = untrusting.awaitListening();
                try (Rest rest = new Rest(base.resolve("api/"))) {
                    // Its own WARN line, not the DEV MODE one that comes with every start.
                    await().atMost(CONNECTED).until(() -> untrusting.output().stream()
                            .anyMatch(l -> l.contains("WARN  duplex.RedisConnections")));
                    assertEquals(503, rest.healthStatus(), "a node that cannot verify Redis is not healthy");
                }
                assertTrue(untrusting.output().stream().anyMatch(l -> l.contains("ready at")
                        && l.contains("the engine is not reachable yet: /api/health answers 503 until it is")), "the start line says so");
                List<String> warnings = untrusting.output().stream().filter(l -> l.contains("WARN") && !l.contains("DEV MODE")).toList();
                assertTrue(warnings.stream().anyMatch(l -> l.contains("TLS handshake failed") && l.contains("trust store")),
                        "the warning names the certificate problem: " + warnings);
            }
        }
    }
}
