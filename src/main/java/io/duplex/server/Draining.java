package io.duplex.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * While the node drains before a stop, refuses new WebSocket handshakes with 503 (and {@code Connection: close}), before
 * the application sees them: a proxy that retries on 503 (nginx's {@code proxy_next_upstream http_503}) sends the
 * client to another node at once, and a client that connects directly fails its handshake and reconnects. Everything
 * else, the open sessions and REST requests, is served as before. The application's own way of refusing a connection
 * (accept it, then close it) would reach the client as a closed connection, which a proxy cannot retry.
 */
final class Draining extends Handler.Wrapper {
    private static final byte[] PROBLEM = ("{\"type\":\"urn:duplex:error:shutting_down\",\"title\":\"Service Unavailable\","
            + "\"status\":503,\"detail\":\"this node is stopping and takes no new WebSocket connections: connect to another "
            + "node\",\"code\":\"shutting_down\"}").getBytes(StandardCharsets.UTF_8);

    private final AtomicBoolean draining;

    Draining(AtomicBoolean draining, Handler application) {
        super(application);
        this.draining = draining;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (draining.get() && "websocket".equalsIgnoreCase(request.getHeaders().get(HttpHeader.UPGRADE))) {
            response.setStatus(503);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            response.write(true, ByteBuffer.wrap(PROBLEM), callback);
            return true;
        }
        return super.handle(request, response, callback);
    }
}
