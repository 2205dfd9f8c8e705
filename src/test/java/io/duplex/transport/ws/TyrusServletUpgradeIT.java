package io.duplex.transport.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.duplex.testing.RawWebSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The evidence behind the WebSocket runtime decision in docs/architecture.md: Tyrus's servlet upgrade does
 * not work inside Jetty 12.1 ee10, so Duplex runs its endpoint on Jetty's own jakarta.websocket implementation.
 * If this test fails, Tyrus-in-Jetty started working: revisit the decision.
 */
class TyrusServletUpgradeIT {

    @Test
    void tyrusServletUpgradeDoesNotGiveAWorkingConnectionOnJetty12() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process probe = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                TyrusServletUpgradeProbe.class.getName()).redirectErrorStream(true).start();
        try {
            AtomicReference<String> port = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (line.startsWith("PORT ")) {
                            port.set(line.substring(5));
                        }
                    }
                } catch (IOException e) {
                    // the probe was stopped
                }
            });
            reader.setDaemon(true);
            reader.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> port.get() != null || !probe.isAlive());

            List<String> headers;
            boolean echoed;
            try (RawWebSocket raw = RawWebSocket.open(URI.create("ws://127.0.0.1:" + port.get() + "/echo"))) {
                headers = raw.responseHeaders();
                raw.setReadTimeout(Duration.ofSeconds(3));
                echoed = echo(raw);
            }
            long upgradeHeaders = headers.stream().filter(h -> h.toLowerCase().startsWith("upgrade:")).count();
            System.out.println("Tyrus servlet upgrade on Jetty 12.1: " + headers + "; echo worked: " + echoed);
            assertFalse(upgradeHeaders == 1 && echoed,
                    "Tyrus's servlet upgrade now works on this Jetty (" + headers + "): revisit docs/architecture.md");
        } finally {
            probe.destroyForcibly();
        }
    }

    private static boolean echo(RawWebSocket raw) {
        try {
            raw.sendText("hello");
            RawWebSocket.Frame frame = raw.readFrame();
            return frame.opcode() == RawWebSocket.TEXT && frame.text().equals("hello");
        } catch (IOException e) {
            return false;
        }
    }
}
