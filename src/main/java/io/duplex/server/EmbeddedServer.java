package io.duplex.server;

import io.duplex.config.CommandLine;
import io.duplex.config.DuplexConfig;
import io.duplex.config.Durations;
import io.duplex.config.Embedded;
import io.duplex.config.Setting;
import java.net.URI;
import java.time.Duration;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.io.ConnectionStatistics;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.WebSocketConnection;

/**
 * Duplex's WAR on an embedded Jetty 12.1 (ee10), deployed exactly as a standalone Jetty deploys it: a
 * {@link WebAppContext} with annotation scanning, so the WAR's own initializers (Weld, Jersey, Jetty's
 * Jakarta WebSocket) start it. Settings given here reach the application as servlet context parameters.
 */
public final class EmbeddedServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedServer.class.getName());
    private final Server server;
    private final ServerConnector connector;
    private final ServerConnector management;
    private final DuplexConfig config;
    private final AtomicBoolean draining;
    private final WebAppContext webapp;

    private EmbeddedServer(Server server, ServerConnector connector, ServerConnector management, DuplexConfig config,
            AtomicBoolean draining, WebAppContext webapp) {
        this.server = server;
        this.webapp = webapp;
        this.connector = connector;
        this.management = management;
        this.config = config;
        this.draining = draining;
    }

    /**
     * Starts the WAR with these settings (keys as in {@link Setting#key()}, e.g. {@code port}), which take
     * precedence over system properties, the environment and the config file.
     */
    public static EmbeddedServer start(Path war, Map<String, String> settings) throws Exception {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        settings.forEach((key, value) -> {
            Setting setting = Setting.byName(key);
            if (setting == null) {
                throw new IllegalArgumentException("unknown setting '" + key + "'");
            }
            flags.put(setting, value);
        });
        return start(war, new CommandLine(flags, false, false));
    }

    static EmbeddedServer start(Path war, CommandLine commandLine) throws Exception {
        DuplexConfig config = EmbeddedConfig.load(commandLine);
        Logging.configure(config.logLevel());
        Optional<TlsMaterial> tls = tlsMaterial(config);

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("duplex-http");
        Server server = new Server(threads);
        ServerConnector connector = Connectors.create(server, config, tls);
        server.addConnector(connector);
        ServerMeters meters = new ServerMeters(threads);
        meters.connector("main", statistics(connector));
        ServerConnector management = null;
        if (config.management().port().isPresent()) {
            management = Connectors.management(server, config.management().host(), config.management().port().get());
            server.addConnector(management);
            meters.connector("management", statistics(management));
        }
        AtomicBoolean draining = new AtomicBoolean();

        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setWar(war.toString());
        webapp.setThrowUnavailableOnStartupException(true);
        // The WAR's jars need no scanning: its initializers are found by ServiceLoader, its own classes are
        // scanned anyway, and scanning Swagger's and Jackson's jars would only slow the start.
        webapp.setAttribute("org.eclipse.jetty.server.webapp.WebInfIncludeJarPattern", "^$");
        // Jetty hides its own classes from web applications. The WAR's WebSocket transport uses Jetty's API when it
        // can see it (ws.api=native): /ws on Jetty's core WebSocket API without the Jakarta layer
        // (io.duplex.transport.ws.NativeDoor: what it needs of the upgrade request are its headers and address), and
        // frames written several per system call, each message's bytes shared by its subscribers
        // (io.duplex.transport.ws.JettyFrames). Only these classes are shown.
        webapp.getHiddenClassMatcher().exclude("org.eclipse.jetty.websocket.core.",
                "org.eclipse.jetty.ee10.websocket.jakarta.common.", "org.eclipse.jetty.util.Callback",
                "org.eclipse.jetty.http.pathmap.", "org.eclipse.jetty.http.HttpFields", "org.eclipse.jetty.server.ConnectionMetaData");
        // Not the TLS password: the connector has used it, the application has no use for it, and a context
        // parameter is readable by any code in the WAR and shown in Jetty's dumps.
        commandLine.values().forEach((setting, value) -> {
            if (setting != Setting.TLS_PASSWORD) {
                webapp.setInitParameter(setting.property(), value);
            }
        });
        // JDK-typed objects only: the application's classes cannot see Jetty's (see io.duplex.config.Embedded).
        webapp.setAttribute(Embedded.DRAINING, draining);
        webapp.setAttribute(Embedded.METERS, meters.meters());
        // Inside the context, before its session handler: /ws handshakes skip the servlet layer when the WAR allows it.
        webapp.insertHandler(new NativeUpgrades(webapp));
        server.setHandler(new ManagementRoutes(management, new Draining(draining, webapp)));
        server.setErrorHandler(new ProblemErrorHandler());
        webapp.setErrorHandler(new WebAppProblemErrorHandler());

        server.setStopTimeout(config.shutdownTimeout().toMillis());
        server.setStopAtShutdown(false);
        server.start();
        if (!webapp.isAvailable()) {
            // Some failures (an Error in an initializer) leave the context unavailable without failing start().
            Throwable cause = webapp.getUnavailableException();
            server.stop();
            throw new IllegalStateException("the application did not start"
                    + (cause == null ? "; see the log above" : ": " + cause), cause);
        }
        return new EmbeddedServer(server, connector, management, config, draining, webapp);
    }

    /**
     * Closes the WebSocket sessions through the application (1001, with the close handshake) and waits, at most
     * shutdown.timeout, until their connections are closed. Jetty's own stop also closes them with 1001, but stops its
     * connectors as soon as the close frames are on their way, and a client whose close handshake is cut off that way
     * reads 1006 instead of 1001 (HealthIT saw it on a loaded machine).
     */
    private void closeSessions() {
        if (!(webapp.getServletContext().getAttribute(Embedded.CLOSE_SESSIONS) instanceof Runnable closeAll)) {
            return;
        }
        try {
            closeAll.run();
        } catch (RuntimeException e) {
            LOG.warning(() -> "closing the sessions before the stop failed (" + e + "); the stop closes them");
            return;
        }
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        try {
            while (webSocketsOpen() && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean webSocketsOpen() {
        for (Connector each : server.getConnectors()) {
            for (EndPoint endPoint : each.getConnectedEndPoints()) {
                if (endPoint.getConnection() instanceof WebSocketConnection) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Jetty's connection counters on a connector, for the metrics. */
    private static ConnectionStatistics statistics(ServerConnector connector) {
        ConnectionStatistics statistics = new ConnectionStatistics();
        connector.addBean(statistics);
        return statistics;
    }

    /** The certificate to serve: the operator's (tls.keystore), the development one (dev.tls), or none. */
    private static Optional<TlsMaterial> tlsMaterial(DuplexConfig config) throws TlsException {
        if (config.tls().keystore().isPresent()) {
            return Optional.of(KeystoreFile.load(config.tls()));
        }
        if (config.tls().dev()) {
            return Optional.of(DevCertificate.obtain(config.dataDir()));
        }
        return Optional.empty();
    }

    /** The port the server listens on (the one chosen when the configured port is 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The server's base URL, {@code http://host:port/}, or {@code https://host:port/} with TLS. */
    public URI uri() {
        String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create((config.tls().enabled() ? "https" : "http") + "://" + host + ":" + port() + "/");
    }

    /** The management port's base URL, {@code http://host:port/}, or null when there is no management port. */
    public URI managementUri() {
        if (management == null) {
            return null;
        }
        String host = config.management().host().equals("0.0.0.0") ? "127.0.0.1" : config.management().host();
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + management.getLocalPort() + "/");
    }

    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Stops gracefully: first drains for shutdown.drain (readiness 503, new WebSocket handshakes refused with 503, open
     * sessions and requests served), then stops accepting, closes the sessions with 1001 and gives requests in flight
     * shutdown.timeout.
     */
    @Override
    public void close() throws Exception {
        draining.set(true);
        Duration drain = config.management().drain();
        if (!drain.isZero()) {
            LOG.info(() -> "draining for " + Durations.format(drain) + " (shutdown.drain): /api/health/ready answers 503 and new "
                    + "WebSocket connections are refused with 503; open sessions are served until they are closed with 1001");
            try {
                Thread.sleep(drain.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long closing = System.nanoTime();
        closeSessions();
        // The close handshakes and the requests in flight share shutdown.timeout: a stop takes at most drain + timeout.
        long left = config.shutdownTimeout().toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);
        server.setStopTimeout(Math.max(1, left));
        try {
            server.stop();
        } catch (TimeoutException e) {
            if (e.getSuppressed().length > 0) {
                throw e;
            }
            // Jetty reports, after stopping the connectors and the application anyway, that the graceful part
            // outlasted shutdown.timeout (other failures of the stop would be attached to it). That is the
            // documented end of a stop, not a failure: an HTTP/2 client may keep its connection open after the
            // server's GOAWAY, and then only the timeout ends the wait.
            LOG.info(() -> "shutdown.timeout (" + config.shutdownTimeout().toMillis() + " ms) passed with connections "
                    + "still open; they were closed");
        }
    }
}
