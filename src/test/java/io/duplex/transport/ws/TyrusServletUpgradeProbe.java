package io.duplex.transport.ws;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.tyrus.servlet.TyrusServletContainerInitializer;

/**
 * An echo endpoint served by Tyrus's servlet container ({@code tyrus-container-servlet}) inside embedded
 * Jetty 12.1 ee10, without Jetty's own WebSocket implementation: the setup the specified stack suggested.
 * Run in its own JVM by {@link TyrusServletUpgradeIT}, because a failed upgrade leaves a Jetty thread spinning.
 */
public final class TyrusServletUpgradeProbe {

    /** The simplest endpoint there is. */
    @ServerEndpoint("/echo")
    public static class Echo {
        @OnMessage
        public String echo(String message) {
            return message;
        }
    }

    private TyrusServletUpgradeProbe() {
    }

    public static void main(String[] args) throws Exception {
        // The failed upgrade retries in a loop, logging a stack trace each time (hundreds of MB a minute).
        Logger quiet = Logger.getLogger("org.eclipse.jetty");
        quiet.setLevel(Level.OFF);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServletContainerInitializer(new TyrusServletContainerInitializer(), Echo.class);
        server.setHandler(context);
        server.start();
        System.out.println("PORT " + connector.getLocalPort());
        System.out.flush();
        server.join();
    }
}
