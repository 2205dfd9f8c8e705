package io.duplex.config;

/**
 * What the embedded server and the application share at run time. They live in different class loaders (the server in
 * the launcher's, the application in the web application's), so they share only objects of JDK types, through these
 * servlet context and request attributes. This package is in both loaders, so both sides name them from here.
 */
public final class Embedded {
    /**
     * Context attribute: a {@code java.util.concurrent.atomic.AtomicBoolean} the server sets when it starts draining before
     * a stop; readiness turns false from then on.
     */
    public static final String DRAINING = "io.duplex.server.draining";

    /**
     * Context attribute: the server's own meters (Jetty's thread pool and connections), as a
     * {@code List<Map<String, Object>>}; each map has {@code name}, {@code type} ({@code gauge} or {@code counter}),
     * {@code description}, {@code unit} (null for none), {@code tags} (a {@code Map<String, String>}) and {@code value} (a
     * {@code java.util.function.DoubleSupplier}).
     */
    public static final String METERS = "io.duplex.server.meters";

    /**
     * Context attribute: a {@code Runnable} the application sets at start, which closes every WebSocket session with 1001
     * and refuses new ones. The server runs it after the drain and waits for the close handshakes to end before it stops
     * its connectors.
     */
    public static final String CLOSE_SESSIONS = "io.duplex.server.closeSessions";

    /**
     * Context attribute: {@code Boolean.TRUE} once the application mapped {@code /ws} on Jetty's core WebSocket API
     * ({@code ws.api=native}) in the context's WebSocket mappings; the server then upgrades {@code /ws} requests ahead of
     * the servlet layer. Absent otherwise: {@code /ws} is the Jakarta endpoint's, reached through the servlet filter.
     */
    public static final String NATIVE_WS = "io.duplex.server.nativeWs";

    /** Request attribute: {@code Boolean.TRUE} on a request that came in through the management port. */
    public static final String MANAGEMENT_REQUEST = "io.duplex.server.management";

    private Embedded() {
    }
}
