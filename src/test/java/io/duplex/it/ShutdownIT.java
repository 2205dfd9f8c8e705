package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import io.duplex.testing.Rest;
import io.duplex.testing.TestServer;
import io.duplex.testing.WsClient;
import jakarta.ws.rs.ProcessingException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stopping a node closes every session with 1001 and stops accepting, within seconds. */
class ShutdownIT {

    @Test
    void stoppingClosesEverySessionWith1001AndStopsAccepting() {
        TestServer server = TestServer.start();
        List<WsClient> clients = List.of(WsClient.connect(server.ws()), WsClient.connect(server.ws()), WsClient.open(server.ws()));
        clients.get(0).subscribe("shutdown.channel");
        try (Rest rest = new Rest(server.api())) {
            assertTimeout(Duration.ofSeconds(15), server::close);
            for (WsClient client : clients) {
                assertEquals(1001, client.awaitClose().getCloseCode().getCode());
            }
            assertThrows(ProcessingException.class, () -> rest.get("health").close());
        }
    }
}
