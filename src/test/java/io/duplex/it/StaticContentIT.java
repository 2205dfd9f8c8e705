package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the WAR serves besides the two doors: its page, and never the launcher that sits at its root. */
class StaticContentIT {
    private static TestServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
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
