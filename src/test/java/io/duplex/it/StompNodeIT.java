package io.duplex.it;

import io.duplex.testing.NodeSuite;
import io.duplex.testing.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The STOMP door as a JavaScript front end sees it: @stomp/stompjs, unmodified, on Node's ws (src/test/stomp). */
class StompNodeIT {

    @Test
    void theStompjsSuitePasses() throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("duplex.stomp.dir", "src/test/stomp"));
        String apiKey = "stomp-node-key-0123456789";
        try (TestServer server = TestServer.start("api.key", apiKey, "heartbeat.interval", "500ms", "heartbeat.timeout", "2s")) {
            NodeSuite.run(dir, "stomp.test.mjs",
                    Map.of("DUPLEX_URL", server.uri().toString(), "DUPLEX_API_KEY", apiKey, "DUPLEX_HEARTBEAT_MS", "500"), Duration.ofMinutes(2));
        }
    }
}
