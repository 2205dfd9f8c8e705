package io.duplex.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.TestCertificate;
import io.duplex.testing.TestServer;
import io.duplex.testing.WarProcess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Production mode on the embedded server needs TLS: its own certificate, or a trusted proxy that terminates TLS. */
class ProductionTlsIT {
    private static final String NEEDS_TLS = "duplex: production mode needs TLS: tls.keystore (--tls-keystore, with "
            + "--tls-password), or proxy.trusted (--proxy-trusted true) behind a proxy that terminates TLS";
    private static final String TOKEN_KEY = "a-token-key-of-at-least-32-characters";
    private static final String API_KEY = "an-api-key-for-this-test";

    @TempDir
    Path dir;

    @Test
    void aProductionNodeWithNothingSetNamesEveryMissingThingAndExits2() throws Exception {
        try (WarProcess war = WarProcess.start(dir, "--port", "0", "--mode", "production")) {
            assertEquals(2, war.awaitExit());
            List<String> output = war.output();
            assertEquals(2, output.size(), output::toString);
            assertTrue(output.get(0).startsWith("duplex: production mode needs a token key")
                    && output.get(0).contains("an API key"), output::toString);
            assertEquals(NEEDS_TLS, output.get(1));
        }
    }

    @Test
    void aProductionNodeWithCredentialsButNoTlsIsRefusedWithOneLine() throws Exception {
        try (WarProcess war = WarProcess.start(dir, "--port", "0", "--mode", "production", "--token-hmac-secret", TOKEN_KEY,
                "--api-key", API_KEY)) {
            assertEquals(2, war.awaitExit());
            assertEquals(List.of(NEEDS_TLS), war.output());
        }
    }

    @Test
    void aProductionNodeStartsWithItsOwnCertificate() {
        TestCertificate certificate = TestCertificate.ec();
        try (TestServer server = TestServer.start("mode", "production", "token.hmac.secret", TOKEN_KEY, "api.key", API_KEY,
                "tls.keystore", certificate.writePkcs12(dir.resolve("server.p12"), "p12-password").toString(),
                "tls.password", "p12-password")) {
            assertEquals("https", server.uri().getScheme());
        }
    }

    @Test
    void aProductionNodeStartsBehindATrustedProxy() {
        try (TestServer server = TestServer.start("mode", "production", "token.hmac.secret", TOKEN_KEY, "api.key", API_KEY,
                "proxy.trusted", "true")) {
            assertEquals("http", server.uri().getScheme());
        }
    }
}
