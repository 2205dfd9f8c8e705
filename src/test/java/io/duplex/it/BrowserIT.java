package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.NodeSuite;
import io.duplex.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console and duplex.js in a real browser: Debian's Chromium, headless, driven by playwright-core
 * (src/test/browser/console.test.mjs) against three live nodes: one in dev mode, one that asks for tokens and an API
 * key, and one whose Kafka bridge has no Kafka to reach (the console shows the bridge down). The suite also writes
 * the README's screenshots (docs/images).
 */
class BrowserIT {
    private static final String SECRET = "browser-it-hmac-secret-0123456789abcdef";
    private static final String API_KEY = "browser-it-api-key-0123456789";

    @Test
    void theBrowserSuitePasses() throws IOException, InterruptedException {
        Path chromium = Path.of(System.getProperty("duplex.chromium", "/usr/bin/chromium"));
        assertTrue(Files.isExecutable(chromium), chromium + " is missing: install Debian's chromium (src/build/prerequisites.sh installs it) "
                + "or name another with -Dduplex.chromium=PATH");
        Path dir = Path.of(System.getProperty("duplex.browser.dir", "src/test/browser"));
        try (TestServer dev = TestServer.start();
             TestServer secured = TestServer.start("token.hmac.secret", SECRET, "api.key", API_KEY, "token.refresh.before", "6s");
             TestServer bridged = TestServer.start("bridges", "kafka", "kafka.bootstrap.servers", "127.0.0.1:" + closedPort(),
                     "kafka.in.topics", "orders", "kafka.connect.timeout", "200ms")) {
            Map<String, String> environment = new HashMap<>(Map.of(
                    "DUPLEX_URL", dev.uri().toString(),
                    "DUPLEX_SECURE_URL", secured.uri().toString(),
                    "DUPLEX_SECURE_SECRET", SECRET,
                    "DUPLEX_SECURE_API_KEY", API_KEY,
                    "DUPLEX_BRIDGE_URL", bridged.uri().toString(),
                    "CHROMIUM", chromium.toString()));
            String screenshots = System.getProperty("duplex.screenshots.dir");
            if (screenshots != null) {
                environment.put("DUPLEX_SCREENSHOTS", screenshots);
            }
            NodeSuite.run(dir, "console.test.mjs", environment, Duration.ofMinutes(4));
        }
    }

    /** A port of 127.0.0.1 nothing listens on (it was free a moment ago): a Kafka that is not there. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
