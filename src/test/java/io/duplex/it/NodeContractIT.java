package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The protocol v1 contract as a non-Java client sees it: Node's strict `ws` client and fetch, against a live node. */
class NodeContractIT {

    @Test
    void theNodeContractSuitePasses() throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("duplex.node.dir", "src/test/node"));
        String apiKey = "node-contract-key-0123456789";
        try (TestServer server = TestServer.start("api.key", apiKey)) {
            ProcessBuilder builder = new ProcessBuilder("node", "--test", "--test-reporter=spec", "contract.test.mjs")
                    .directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().put("DUPLEX_URL", server.uri().toString());
            builder.environment().put("DUPLEX_API_KEY", apiKey);
            Path log = Files.createTempFile("node-contract", ".log");
            Process node = builder.redirectOutput(log.toFile()).start();
            boolean finished = node.waitFor(120, TimeUnit.SECONDS);
            if (!finished) {
                node.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.delete(log);
            System.out.println(output);
            assertTrue(finished, "the node suite did not finish within 2 minutes:\n" + output);
            assertEquals(0, node.exitValue(), output);
        }
    }
}
