package io.duplex.metrics;

import io.duplex.config.Embedded;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.ServletContext;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * The embedded server's Jetty meters (thread pool, connections), registered from what the server hands over as JDK types
 * ({@link Embedded#METERS}): Jetty's classes stay in the server's class loader, Micrometer's in the application's. In a
 * container there is no such attribute, and the container's own metrics are the container's business.
 */
final class EmbeddedServerMeters {
    private EmbeddedServerMeters() {
    }

    static void bind(ServletContext context, MeterRegistry registry) {
        if (!(context.getAttribute(Embedded.METERS) instanceof List<?> meters)) {
            return;
        }
        for (Object entry : meters) {
            Map<?, ?> meter = (Map<?, ?>) entry;
            String name = (String) meter.get("name");
            String description = (String) meter.get("description");
            String unit = (String) meter.get("unit");
            DoubleSupplier value = (DoubleSupplier) meter.get("value");
            String[] tags = ((Map<?, ?>) meter.get("tags")).entrySet().stream()
                    .flatMap(e -> java.util.stream.Stream.of((String) e.getKey(), (String) e.getValue()))
                    .toArray(String[]::new);
            if ("counter".equals(meter.get("type"))) {
                FunctionCounter.builder(name, value, DoubleSupplier::getAsDouble).description(description).baseUnit(unit).tags(tags)
                        .register(registry);
            } else {
                Gauge.builder(name, value, DoubleSupplier::getAsDouble).description(description).baseUnit(unit).tags(tags)
                        .register(registry);
            }
        }
    }
}
