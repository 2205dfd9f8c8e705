package io.duplex.testing;

import io.duplex.launcher.Launcher;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The packaged {@code target/duplex.war} running on an embedded Jetty in this JVM, on a free port of
 * 127.0.0.1. It is started the way {@code java -jar} starts it: the embedded server's jars are loaded
 * from the WAR's {@code WEB-INF/lib-provided} by a class loader of their own, so tests exercise the
 * real packaging, not the test class path.
 */
public final class TestServer implements AutoCloseable {
    private static ClassLoader serverLoader;

    private final Object server;
    private final URI uri;

    private TestServer(Object server) throws ReflectiveOperationException {
        this.server = server;
        this.uri = (URI) server.getClass().getMethod("uri").invoke(server);
    }

    /** Starts a node with default settings but for the given ones (keys as in docs/configuration.md). */
    public static TestServer start(String... keyValues) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("host", "127.0.0.1");
        settings.put("port", "0");
        // A production-mode node drains 5 s before it stops; tests that stop one are about the stop, not the wait.
        settings.put("shutdown.drain", "0s");
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put(keyValues[i], keyValues[i + 1]);
        }
        try {
            Class<?> embedded = loader().loadClass("io.duplex.server.EmbeddedServer");
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader());
            try {
                return new TestServer(embedded.getMethod("start", Path.class, Map.class).invoke(null, war(), settings));
            } finally {
                thread.setContextClassLoader(previous);
            }
        } catch (ReflectiveOperationException | IOException e) {
            throw new IllegalStateException("could not start " + war(), e.getCause() != null ? e.getCause() : e);
        }
    }

    /** The WAR under test: the one Maven packaged. */
    public static Path war() {
        String path = System.getProperty("duplex.war", "target/duplex.war");
        Path war = Path.of(path).toAbsolutePath();
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException(war + " does not exist: run the integration tests with `mvn verify`");
        }
        return war;
    }

    private static synchronized ClassLoader loader() throws IOException {
        if (serverLoader == null) {
            // Next to the WAR, so `mvn clean` removes it; each test JVM starts from a fresh copy.
            Path work = war().resolveSibling("it-lib-provided");
            Files.createDirectories(work);
            serverLoader = Launcher.serverClassLoader(war(), work);
        }
        return serverLoader;
    }

    /** {@code http://127.0.0.1:PORT/}, or {@code https://…} for a node with TLS. */
    public URI uri() {
        return uri;
    }

    /** {@code ws://127.0.0.1:PORT/ws}, or {@code wss://…} for a node with TLS. */
    public URI ws() {
        return URI.create(("https".equals(uri.getScheme()) ? "wss" : "ws") + "://" + uri.getAuthority() + "/ws");
    }

    /** {@code ws://127.0.0.1:PORT/stomp}, the STOMP door, or {@code wss://…} for a node with TLS. */
    public URI stomp() {
        return ws().resolve("/stomp");
    }

    /** The management port's base URL, {@code http://127.0.0.1:PORT/}; null when the node has no management port. */
    public URI management() {
        try {
            return (URI) server.getClass().getMethod("managementUri").invoke(server);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT/api/} */
    public URI api() {
        return uri.resolve("api/");
    }

    @Override
    public void close() {
        try {
            server.getClass().getMethod("close").invoke(server);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
