package io.duplex.metrics;

import io.duplex.app.Version;
import io.duplex.broker.redis.RedisObserver;
import io.duplex.config.DuplexConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's metrics: one Micrometer registry in Prometheus's format, living in the WAR (so every container serves the
 * same metrics, with no agent), with the JVM's meters, the embedded server's Jetty meters when there is one, and what
 * Duplex's own parts register ({@link NodeMeters}, {@link RestMeters}, {@link RedisMeters}). Served by
 * {@link MetricsServlet}. Closed with the application, so an undeploy leaves no listener behind on the JVM's beans.
 */
@ApplicationScoped
public class Metrics {
    private static final Logger LOG = Logger.getLogger(Metrics.class.getName());
    /** The buckets of the REST and Redis latency histograms: enough for a latency panel and an SLO, few series. */
    static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    protected Metrics() {
        // for CDI's client proxy
        this.registry = null;
    }

    @Inject
    public Metrics(DuplexConfig config, Version version) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(latencyHistogram(RestMeters.NAME)).meterFilter(latencyHistogram(RedisMeters.COMPLETION));
        bind(new JvmMemoryMetrics(), new JvmThreadMetrics(), new ClassLoaderMetrics(), new JvmInfoMetrics(),
                new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics());
        JvmGcMetrics gc = new JvmGcMetrics();
        JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();
        bind(gc, heapPressure);
        closeables.add(gc);
        closeables.add(heapPressure);
        Gauge.builder("duplex.info", () -> 1)
                .description("Always 1: the version, engine and mode of this node, as labels")
                .tag("version", version.value())
                .tag("engine", config.engine())
                .tag("mode", config.mode().label())
                .register(registry);
    }

    /** At start: the embedded server's Jetty meters, if it handed any over (a container does not). */
    void started(@Observes @Initialized(ApplicationScoped.class) ServletContext context) {
        EmbeddedServerMeters.bind(context, registry);
    }

    private void bind(MeterBinder... binders) {
        for (MeterBinder binder : binders) {
            binder.bindTo(registry);
        }
    }

    /** A filter that gives the timers called {@code name} a histogram of {@link #LATENCY_BUCKETS}. */
    static MeterFilter latencyHistogram(String name) {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals(name)) {
                    return config;
                }
                double[] buckets = new double[LATENCY_BUCKETS.length];
                for (int i = 0; i < buckets.length; i++) {
                    buckets[i] = LATENCY_BUCKETS[i].toNanos();
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(buckets).build().merge(config);
            }
        };
    }

    /** The registry Duplex's parts register their meters with. */
    public MeterRegistry registry() {
        return registry;
    }

    /** What the Redis engine reports to: command latency, failures and reconnects. */
    public RedisObserver redis() {
        return new RedisMeters(registry);
    }

    /** Writes every meter in the Prometheus text format ({@code text/plain; version=0.0.4}) or OpenMetrics. */
    void scrape(OutputStream out, String contentType) throws IOException {
        registry.scrape(out, contentType);
    }

    @PreDestroy
    void close() {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "closing a meter binder failed: {0}", e.toString());
            }
        }
        registry.close();
    }
}
