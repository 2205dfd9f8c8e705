package io.duplex.it;

import io.duplex.testing.NodeSuite;
import io.duplex.testing.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The protocol v1 contract as a non-Java client sees it: Node's strict `ws` client and fetch, against a live node. */
class NodeContractIT {

    @Test
    void theNodeContractSuitePasses() throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("duplex.node.dir", "src/test/node"));
        String apiKey = "node-contract-key-0123456789";
        try (TestServer server = TestServer.start("api.key", apiKey)) {
            NodeSuite.run(dir, "contract.test.mjs",
                    Map.of("DUPLEX_URL", server.uri().toString(), "DUPLEX_API_KEY", apiKey), Duration.ofMinutes(2));
        }
    }
}
