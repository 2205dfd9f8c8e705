package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.RunningNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the WAR serves besides the two doors: the console, duplex.js, and never the launcher that sits at its root. */
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
    void theClientLibraryIsServedAsAJavaScriptModuleBesideTheConsole() throws Exception {
        HttpResponse<String> library = get("/duplex.js");
        assertEquals(200, library.statusCode());
        assertTrue(library.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"), library.headers().toString());
        assertTrue(library.body().contains("export function connect("));
        assertEquals(200, get("/console.js").statusCode());
        assertEquals(200, get("/console.css").statusCode());
        assertTrue(get("/").body().contains("<script type=\"module\" src=\"console.js\">"));
    }

    @Test
    void theLauncherClassesAreNeitherServedNorListed() throws Exception {
        assertEquals(403, get("/io/duplex/launcher/Launcher.class").statusCode());
        assertEquals(403, get("/io/").statusCode());
        assertEquals(404, get("/WEB-INF/lib-provided/").statusCode());
    }

}
