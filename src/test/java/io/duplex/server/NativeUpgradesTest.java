package io.duplex.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duplex.config.Embedded;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.server.WebSocketMappings;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real Jetty with a context whose WebSocket mappings hold an echo endpoint at {@code /ws}, and, behind
 * {@link NativeUpgrades}, a handler standing for the servlet layer that counts what reaches it and answers 404.
 */
class NativeUpgradesTest {
    private final AtomicInteger servletLayer = new AtomicInteger();
    private final HttpClient client = HttpClient.newHttpClient();
    private Server server;
    private ContextHandler context;
    private URI ws;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        context = new ContextHandler("/");
        NativeUpgrades upgrades = new NativeUpgrades(context);
        upgrades.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                servletLayer.incrementAndGet();
                Response.writeError(request, response, callback, 404);
                return true;
            }
        });
        context.setHandler(upgrades);
        server.setHandler(context);
        WebSocketServerComponents.ensureWebSocketComponents(server, context);
        WebSocketMappings.ensureMappings(context).addMapping(WebSocketMappings.parsePathSpec("uri-template|/ws"),
                (request, response, callback) -> new Echo(), (endpoint, request, response) -> (FrameHandler) endpoint,
                configuration -> { });
        server.start();
        ws = URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/ws");
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void upgradesWsAheadOfTheServletLayerOnceTheApplicationSaysItIsNative() throws Exception {
        // As the application sets it: through the servlet context, whose attributes are the context's, not the handler's.
        context.getContext().setAttribute(Embedded.NATIVE_WS, Boolean.TRUE);
        CompletableFuture<String> echoed = new CompletableFuture<>();
        WebSocket socket = client.newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                echoed.complete(data.toString());
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        socket.sendText("hello", true);
        assertEquals("hello", echoed.get(10, TimeUnit.SECONDS));
        assertEquals(0, servletLayer.get(), "the handshake went through the servlet layer");
        socket.abort();
    }

    @Test
    void aPlainRequestForWsStillReachesTheServletLayer() throws Exception {
        context.getContext().setAttribute(Embedded.NATIVE_WS, Boolean.TRUE);
        HttpResponse<String> plain = client.send(HttpRequest.newBuilder(URI.create(ws.toString().replace("ws:", "http:")))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, plain.statusCode());
        assertEquals(1, servletLayer.get());
    }

    @Test
    void withoutTheApplicationsWordEveryRequestReachesTheServletLayer() {
        // ws.api=standard: the Jakarta endpoint's mapping is reached through the servlet filter, never from here.
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> client.newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS));
        assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
        assertEquals(1, servletLayer.get());
    }

    /** Echoes text frames. */
    private static final class Echo implements FrameHandler {
        private CoreSession session;

        @Override
        public void onOpen(CoreSession coreSession, Callback callback) {
            session = coreSession;
            callback.succeeded();
            session.demand();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            if (frame.getOpCode() == OpCode.TEXT) {
                session.sendFrame(new Frame(OpCode.TEXT, frame.getPayloadAsUTF8()), Callback.NOOP, false);
            }
            callback.succeeded();
            session.demand();
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            callback.succeeded();
        }

        @Override
        public void onClosed(CloseStatus closeStatus, Callback callback) {
            callback.succeeded();
        }
    }
}
