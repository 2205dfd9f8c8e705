package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.RunningNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the WAR serves besides the two doors: its page, and never the launcher that sits at its root. */
class StaticContentIT {
    @RegisterExtension
    static final RunningNode node = new RunningNode();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(node.server().uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRootServesThePage() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>Duplex</title>"));
    }

    @Test
    void theLauncherClassesAreNeitherServedNorListed() throws Exception {
        assertEquals(403, get("/io/duplex/launcher/Launcher.class").statusCode());
        assertEquals(403, get("/io/").statusCode());
        assertEquals(404, get("/WEB-INF/lib-provided/").statusCode());
    }

}
