package io.duplex.transport.ws;

import jakarta.websocket.Session;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Picks the {@link io.duplex.core.Connection} for a new WebSocket session: Jetty's fast path ({@link JettyConnection})
 * when the session is Jetty's and the container lets the application see Jetty's WebSocket classes (the embedded
 * server does; a standalone Jetty hides them from web applications), the standard {@link JakartaConnection}
 * everywhere else, or when {@code ws.api} is {@code standard}.
 */
final class Connections {
    private static final Logger LOG = Logger.getLogger(Connections.class.getName());
    private static final String[] JETTY_CLASSES = {
        "org.eclipse.jetty.ee10.websocket.jakarta.common.JakartaWebSocketSession",
        "org.eclipse.jetty.websocket.core.CoreSession",
        "org.eclipse.jetty.util.Callback",
    };
    private static final boolean JETTY = visible(JETTY_CLASSES);
    /** The way of the first connection was logged: one line per start says which way frames go. */
    private static final AtomicBoolean SAID = new AtomicBoolean();

    private Connections() {
    }

    static JakartaConnection open(Session session, Executor blocking, boolean nativeApi) {
        boolean jetty = nativeApi && JETTY && JettyConnection.isJetty(session);
        if (SAID.compareAndSet(false, true)) {
            LOG.info(jetty ? "WebSocket frames are written through Jetty's own WebSocket API (ws.api=native)"
                    : "WebSocket frames are written through the standard jakarta.websocket API (ws.api="
                    + (nativeApi ? "native: this container's own API is not visible to the application" : "standard") + ")");
        }
        return jetty ? new JettyConnection(session, blocking) : new JakartaConnection(session, blocking);
    }

    /**
     * Whether the application can see all these classes: Jetty's, which only the embedded server shows it. Looked up
     * by name, so that a class of this package that uses them is never loaded where they are not there.
     */
    static boolean visible(String... names) {
        ClassLoader loader = Connections.class.getClassLoader();
        for (String name : names) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
        return true;
    }
}
