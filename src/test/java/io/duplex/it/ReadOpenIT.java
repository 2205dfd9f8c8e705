package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplex.testing.Rest;
import io.duplex.testing.RunningNode;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** api.read.open: channel reads need no credentials; writes and sessions still do. */
class ReadOpenIT {
    static final String API_KEY = "key-for-tests-0123456789";

    @RegisterExtension
    static final RunningNode node = new RunningNode("api.key", API_KEY, "api.read.open", "true");

    @Test
    void readsAreOpenAndEverythingElseStillNeedsTheKey() {
        try (Rest rest = new Rest(node.server().api(), API_KEY); Rest anonymous = new Rest(node.server().api())) {
            rest.publish("open.news", "{\"n\":1}");
            assertEquals(1, anonymous.getJson("channels/open.news/messages").getJsonArray("messages").size());
            assertEquals(200, anonymous.get("channels/open.news").getStatus());
            assertEquals(200, anonymous.get("channels/open.news/presence").getStatus());
            assertEquals(200, anonymous.get("channels").getStatus());
            try (Response r = anonymous.post("channels/open.news/messages", "{\"data\":2}")) {
                assertEquals(401, r.getStatus());
            }
            try (Response r = anonymous.get("sessions")) {
                assertEquals(401, r.getStatus());
            }
        }
    }
}
