package io.duplex.server;

import io.duplex.config.Embedded;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.eclipse.jetty.io.ConnectionStatistics;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty's own figures for the application's metrics: its request thread pool and, per connector, its connections. The
 * application's registry (Micrometer, in the web application's class loader) cannot see Jetty's classes, and Jetty's
 * loader has no Micrometer; so the figures cross as JDK types, a list of maps with a {@link DoubleSupplier} each
 * ({@link Embedded#METERS}), read by the application when Prometheus scrapes. Names follow Micrometer's Jetty binders.
 */
final class ServerMeters {
    private final List<Map<String, Object>> meters = new ArrayList<>();

    ServerMeters(QueuedThreadPool threads) {
        gauge("jetty.threads.config.min", "The least threads of the request thread pool", threads::getMinThreads);
        gauge("jetty.threads.config.max", "The most threads of the request thread pool", threads::getMaxThreads);
        gauge("jetty.threads.current", "Threads of the request thread pool", threads::getThreads);
        gauge("jetty.threads.busy", "Threads of the request thread pool that are working", threads::getBusyThreads);
        gauge("jetty.threads.idle", "Threads of the request thread pool that wait for work", threads::getIdleThreads);
        gauge("jetty.threads.jobs", "Jobs queued for a thread of the request thread pool", threads::getQueueSize);
    }

    /** Adds the connections of one connector ({@code main} or {@code management}), counted by {@code statistics}. */
    void connector(String name, ConnectionStatistics statistics) {
        Map<String, String> tags = Map.of("connector", name);
        add("gauge", "jetty.connections.current", "Connections open on the connector", null, tags, statistics::getConnections);
        add("gauge", "jetty.connections.max", "The most connections open at once on the connector", null, tags,
                statistics::getConnectionsMax);
        add("counter", "jetty.connections.opened", "Connections the connector accepted", null, tags, statistics::getConnectionsTotal);
        add("counter", "jetty.connections.received", "Bytes received on the connector's connections, counted as each closes",
                "bytes", tags, statistics::getReceivedBytes);
        add("counter", "jetty.connections.sent", "Bytes sent on the connector's connections, counted as each closes", "bytes", tags,
                statistics::getSentBytes);
    }

    private void gauge(String name, String description, DoubleSupplier value) {
        add("gauge", name, description, null, Map.of(), value);
    }

    private void add(String type, String name, String description, String unit, Map<String, String> tags, DoubleSupplier value) {
        Map<String, Object> meter = new HashMap<>();
        meter.put("type", type);
        meter.put("name", name);
        meter.put("description", description);
        meter.put("unit", unit);
        meter.put("tags", tags);
        meter.put("value", value);
        meters.add(meter);
    }

    /** What goes into {@link Embedded#METERS}. */
    List<Map<String, Object>> meters() {
        return List.copyOf(meters);
    }
}
