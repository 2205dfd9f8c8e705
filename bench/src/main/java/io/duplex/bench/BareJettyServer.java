package io.duplex.bench;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * For scale: the bare broadcast of {@link BareServer} on Jetty's native WebSocket API (no Jakarta layer, no servlet),
 * the same wire ({@code /bare?c=CHANNEL[&pub=1]}, "hi" answered "ok").
 *
 * <pre>java -cp 'bench/target/classes:bench/target/lib/*' io.duplex.bench.BareJettyServer PORT</pre>
 */
public final class BareJettyServer {
    private static final Map<String, Set<Session>> CHANNELS = new ConcurrentHashMap<>();

    private BareJettyServer() {
    }

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[0]));
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setIdleTimeout(Duration.ZERO);
            container.addMapping("/bare", (request, response, callback) -> {
                try {
                    Fields query = Request.extractQueryParameters(request);
                    String channel = query.getValue("c");
                    return new Endpoint(channel == null ? "bare" : channel, query.get("pub") != null);
                } catch (RuntimeException e) {
                    e.printStackTrace();
                    throw e;
                }
            });
        });
        context.setHandler(ws);
        server.setHandler(context);
        server.start();
        System.out.println("bare Jetty-API broadcast listening on http://127.0.0.1:" + connector.getLocalPort() + "/bare");
        server.join();
    }

    /** One connection: a subscriber of its channel, or that channel's publisher. */
    public static final class Endpoint implements Session.Listener.AutoDemanding {
        private final String channel;
        private final boolean publisher;
        private Session session;

        Endpoint(String channel, boolean publisher) {
            this.channel = channel;
            this.publisher = publisher;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
            if (!publisher) {
                CHANNELS.computeIfAbsent(channel, c -> ConcurrentHashMap.newKeySet()).add(session);
            }
        }

        @Override
        public void onWebSocketText(String text) {
            if (!publisher) {
                session.sendText("ok", Callback.NOOP);
                return;
            }
            Set<Session> subscribers = CHANNELS.get(channel);
            if (subscribers != null) {
                for (Session subscriber : subscribers) {
                    subscriber.sendText(text, Callback.NOOP);
                }
            }
        }

        @Override
        public void onWebSocketClose(int status, String reason) {
            Set<Session> subscribers = CHANNELS.get(channel);
            if (subscribers != null) {
                subscribers.remove(session);
            }
        }
    }
}
