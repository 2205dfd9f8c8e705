package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.NodeSuite;
import io.duplex.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console and duplex.js in a real browser: Debian's Chromium, headless, driven by playwright-core
 * (src/test/browser/console.test.mjs) against two live nodes, one in dev mode and one that asks for
 * tokens and an API key. The suite also writes the README's screenshots (docs/images).
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
             TestServer secured = TestServer.start("token.hmac.secret", SECRET, "api.key", API_KEY, "token.refresh.before", "6s")) {
            Map<String, String> environment = new HashMap<>(Map.of(
                    "DUPLEX_URL", dev.uri().toString(),
                    "DUPLEX_SECURE_URL", secured.uri().toString(),
                    "DUPLEX_SECURE_SECRET", SECRET,
                    "DUPLEX_SECURE_API_KEY", API_KEY,
                    "CHROMIUM", chromium.toString()));
            String screenshots = System.getProperty("duplex.screenshots.dir");
            if (screenshots != null) {
                environment.put("DUPLEX_SCREENSHOTS", screenshots);
            }
            NodeSuite.run(dir, "console.test.mjs", environment, Duration.ofMinutes(4));
        }
    }
}
