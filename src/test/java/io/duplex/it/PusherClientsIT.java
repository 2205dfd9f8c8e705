package io.duplex.it;

import io.duplex.testing.NodeSuite;
import io.duplex.testing.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pusher Channels protocol 7 as Pusher's own Node clients see it, unmodified (src/test/pusher): pusher-js on the
 * WebSocket door, the pusher server SDK on the HTTP API and as the backend that signs authorisations.
 */
class PusherClientsIT {
    static final String APP_ID = "1001";
    static final String KEY = "duplex-app-key";
    static final String SECRET = "duplex-app-secret-0123";

    @Test
    void thePusherSuitePasses() throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("duplex.pusher.dir", "src/test/pusher"));
        try (TestServer server = TestServer.start("pusher.apps", APP_ID + ":" + KEY + ":" + SECRET + ",1002:other-key:other-secret-0123")) {
            NodeSuite.run(dir, "pusher.test.mjs", Map.of("DUPLEX_URL", server.uri().toString(), "PUSHER_APP_ID", APP_ID,
                    "PUSHER_KEY", KEY, "PUSHER_SECRET", SECRET), Duration.ofMinutes(2));
        }
    }
}
