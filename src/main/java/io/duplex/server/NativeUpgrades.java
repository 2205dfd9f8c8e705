package io.duplex.server;

import io.duplex.config.Embedded;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.server.WebSocketMappings;

/**
 * Upgrades {@code /ws} inside the application's context but ahead of its servlet layer, once the application mapped it
 * on Jetty's core WebSocket API ({@link Embedded#NATIVE_WS}). Through the servlet layer a handshake also passed the
 * session and security handlers, the servlet channel, the request listeners (Weld sets up a request context for each)
 * and the filter chain to Jetty's upgrade filter: a fifth of an upgrade's server time in a profile, none of it needed
 * by an endpoint that takes only the handshake's headers and address. The upgrade itself is the same call to the same
 * mappings that filter makes. Anything else, and {@code /ws} when the Jakarta endpoint serves it, passes on unchanged.
 */
final class NativeUpgrades extends Handler.Wrapper {
    private static final String PATH = "/ws";

    private final ContextHandler context;

    NativeUpgrades(ContextHandler context) {
        this.context = context;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        // The servlet context's attributes are the context's own (getContext()), not the handler's.
        if (PATH.equals(Request.getPathInContext(request))
                && Boolean.TRUE.equals(context.getContext().getAttribute(Embedded.NATIVE_WS))) {
            WebSocketMappings mappings = WebSocketMappings.getMappings(context);
            // false: not a WebSocket handshake (a plain GET of /ws); the servlet layer answers it as before.
            if (mappings != null && mappings.upgrade(request, response, callback, null)) {
                return true;
            }
        }
        return super.handle(request, response, callback);
    }
}
