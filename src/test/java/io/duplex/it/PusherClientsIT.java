package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.NodeSuite;
import io.duplex.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pusher Channels protocol 7 as Pusher's own Node clients see it, unmodified (src/test/pusher): pusher-js on the
 * WebSocket door (its Node build, and its web build in Debian's Chromium), the pusher server SDK on the HTTP API and as
 * the backend that signs authorisations.
 */
class PusherClientsIT {
    static final String APP_ID = "1001";
    static final String KEY = "duplex-app-key";
    static final String SECRET = "duplex-app-secret-0123";

    private static final Path DIR = Path.of(System.getProperty("duplex.pusher.dir", "src/test/pusher"));

    private static TestServer node() {
        return TestServer.start("pusher.apps", APP_ID + ":" + KEY + ":" + SECRET + ",1002:other-key:other-secret-0123");
    }

    @Test
    void thePusherSuitePasses() throws IOException, InterruptedException {
        try (TestServer server = node()) {
            NodeSuite.run(DIR, "pusher.test.mjs", Map.of("DUPLEX_URL", server.uri().toString(), "PUSHER_APP_ID", APP_ID,
                    "PUSHER_KEY", KEY, "PUSHER_SECRET", SECRET), Duration.ofMinutes(2));
        }
    }

    @Test
    void pusherJsInChromiumPasses() throws IOException, InterruptedException {
        Path chromium = Path.of(System.getProperty("duplex.chromium", "/usr/bin/chromium"));
        assertTrue(Files.isExecutable(chromium), chromium + " is missing: install Debian's chromium (src/build/prerequisites.sh "
                + "installs it) or name another with -Dduplex.chromium=PATH");
        try (TestServer server = node()) {
            NodeSuite.run(DIR, "browser.test.mjs", Map.of("DUPLEX_URL", server.uri().toString(), "PUSHER_APP_ID", APP_ID,
                    "PUSHER_KEY", KEY, "PUSHER_SECRET", SECRET, "CHROMIUM", chromium.toString()), Duration.ofMinutes(2));
        }
    }
}
