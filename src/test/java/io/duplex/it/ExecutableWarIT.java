package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.Rest;
import io.duplex.testing.WarProcess;
import io.duplex.testing.WsClient;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar target/duplex.war} as a user runs it: starts, serves both doors, idles quietly, stops on SIGTERM. */
class ExecutableWarIT {

    @TempDir
    Path tmp;

    @Test
    void theWarRunsServesBothDoorsIdlesQuietlyAndStopsCleanlyOnSigterm() throws Exception {
        try (WarProcess war = WarProcess.start(tmp, "--port", "0")) {
            URI base = war.awaitListening();
            URI ws = URI.create("ws://" + base.getAuthority() + "/ws");
            try (Rest rest = new Rest(base.resolve("api/")); WsClient client = WsClient.connect(ws)) {
                assertEquals("up", rest.getJson("health").getString("status"));
                client.subscribe("war.channel");
                rest.publish("war.channel", "{\"hello\":\"from REST\"}");
                assertEquals("from REST", client.awaitMessages("war.channel", 1).get(0).getJsonObject("data").getString("hello"));
                // The embedded server lets the WAR serve /ws on Jetty's own API (ws.api=native, the default).
                assertTrue(war.output().stream().anyMatch(l -> l.contains("/ws on Jetty's own WebSocket API")), war.output()::toString);

                // Connections that opened and closed, and one left idle: no thread may spin on them.
                for (int i = 0; i < 5; i++) {
                    WsClient.connect(ws).close();
                }
                long before = war.cpuTicks();
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> war.process().isAlive());
                long used = war.cpuTicks() - before;
                assertTrue(used < 50, "an idle server used " + used + " ticks of CPU in 3 s");

                war.terminate();
                assertEquals(1001, client.awaitClose().getCloseCode().getCode());
            }
            assertEquals(143, war.awaitExit(), "exit status after SIGTERM");
            List<String> output = war.output();
            assertTrue(output.stream().anyMatch(l -> l.contains("stopped in")), output::toString);
            assertTrue(output.stream().noneMatch(l -> l.contains("Exception")), "no stack traces: " + output);
            try (Stream<Path> left = Files.list(tmp)) {
                assertEquals(List.of(), left.toList(), "temporary files left behind");
            }
        }
    }

    @Test
    void helpListsEveryOptionWithItsDefault() throws Exception {
        try (WarProcess war = WarProcess.start(tmp, "--help")) {
            assertEquals(0, war.awaitExit());
            try (Stream<Path> left = Files.list(tmp)) {
                assertEquals(List.of(), left.toList(), "temporary files left behind");
            }
            String text = String.join("\n", war.output());
            for (String option : List.of("--port", "--host", "--history-size", "--history-ttl", "--outbound-queue-messages",
                    "--heartbeat-interval", "--frame-max-bytes", "DUPLEX_PORT", "Default: 8080")) {
                assertTrue(text.contains(option), option + " missing from --help:\n" + text);
            }
        }
    }

    @Test
    void wrongOptionsAreNamedAndExitWithStatus2() throws Exception {
        try (WarProcess war = WarProcess.start(tmp, "--port", "eighty", "--no-such-option", "x")) {
            assertEquals(2, war.awaitExit());
            String text = String.join("\n", war.output());
            assertTrue(text.contains("unknown option '--no-such-option'"), text);
        }
        try (WarProcess war = WarProcess.start(tmp, "--port", "eighty")) {
            assertEquals(2, war.awaitExit());
            String text = String.join("\n", war.output());
            assertTrue(text.contains("port = 'eighty' (from --port) is not valid"), text);
        }
    }

    @Test
    void aPortInUseIsReportedInOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                WarProcess war = WarProcess.start(tmp, "--port", Integer.toString(taken.getLocalPort()))) {
            assertEquals(1, war.awaitExit());
            String text = String.join("\n", war.output());
            assertTrue(text.contains("could not start") && text.contains("--port"), text);
            assertTrue(!text.contains("\tat "), "no stack trace: " + text);
        }
    }

    @Test
    void aRedisUriWithTheMemoryEngineIsSaidToBeUnused() throws Exception {
        try (WarProcess war = WarProcess.start(tmp, "--port", "0", "--redis-uri", "redis://127.0.0.1:1")) {
            war.awaitListening();
            assertTrue(war.output().stream().anyMatch(l -> l.contains("WARN") && l.contains("redis.uri is set but engine is memory")),
                    war.output()::toString);
            war.terminate();
            war.awaitExit();
        }
    }
}
