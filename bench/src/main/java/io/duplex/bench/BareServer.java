package io.duplex.bench;

import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The comparison target: the broadcast a developer writes first with the standard API, a bare {@code @ServerEndpoint}
 * on Jetty's own Jakarta WebSocket (the implementation Duplex runs on), with nothing of Duplex's protocol: no
 * envelope, no offsets, no history, no bounded queues. {@code /bare?c=CHANNEL} subscribes to a channel;
 * {@code /bare?c=CHANNEL&pub=1} publishes: each text it sends goes to every subscriber of the channel with
 * {@code getAsyncRemote().sendText}. A subscriber's own text is answered {@code ok} (the generator's readiness check).
 *
 * <pre>java -cp 'bench/target/classes:bench/target/lib/*' io.duplex.bench.BareServer PORT</pre>
 */
public final class BareServer {
    private BareServer() {
    }

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[0]));
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) -> {
            // No idle timeout: the bare broadcast has no heartbeat, and its idle connections are measured held open.
            container.setDefaultMaxSessionIdleTimeout(0);
            container.addEndpoint(Endpoint.class);
        });
        server.setHandler(context);
        server.start();
        System.out.println("bare broadcast listening on http://127.0.0.1:" + connector.getLocalPort() + "/bare");
        server.join();
    }

    /** One connection: a subscriber of its channel, or that channel's publisher. */
    @ServerEndpoint("/bare")
    public static class Endpoint {
        private static final Map<String, Set<Session>> CHANNELS = new ConcurrentHashMap<>();
        private String channel;
        private boolean publisher;

        @OnOpen
        public void open(Session session) {
            Map<String, List<String>> query = session.getRequestParameterMap();
            channel = query.getOrDefault("c", List.of("bare")).get(0);
            publisher = query.containsKey("pub");
            if (!publisher) {
                CHANNELS.computeIfAbsent(channel, c -> ConcurrentHashMap.newKeySet()).add(session);
            }
        }

        @OnMessage
        public void text(Session session, String text) {
            if (!publisher) {
                session.getAsyncRemote().sendText("ok");
                return;
            }
            Set<Session> subscribers = CHANNELS.get(channel);
            if (subscribers != null) {
                for (Session subscriber : subscribers) {
                    subscriber.getAsyncRemote().sendText(text);
                }
            }
        }

        @OnClose
        public void close(Session session) {
            Set<Session> subscribers = CHANNELS.get(channel);
            if (subscribers != null) {
                subscribers.remove(session);
            }
        }

        @OnError
        public void error(Session session, Throwable failure) {
            // A dropped connection; @OnClose cleans up.
        }
    }
}
