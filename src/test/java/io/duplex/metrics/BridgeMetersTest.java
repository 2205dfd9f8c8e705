package io.duplex.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplex.bridge.BridgeStatus;
import io.duplex.bridge.Bridges;
import io.duplex.testing.LogWatch;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bridges' meters across scrapes: registered when first seen, once, read at every scrape. */
class BridgeMetersTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<BridgeStatus> statuses = new ArrayList<>();
    private final LogWatch micrometer = LogWatch.of("io.micrometer", Level.WARNING);

    @AfterEach
    void stopWatching() {
        micrometer.close();
    }

    @Test
    void scrapesAgainRegisterNothingTwiceAndReadTheLatestFigures() {
        BridgeMeters meters = new BridgeMeters(new FixedMetrics(registry), new FixedBridges(statuses));
        statuses.add(new BridgeStatus("kafka", BridgeStatus.State.UP, "", Map.of("in", 3L), OptionalLong.of(7)));
        meters.refresh();
        meters.refresh();
        statuses.set(0, new BridgeStatus("kafka", BridgeStatus.State.DOWN, "", Map.of("in", 5L, "out", 1L), OptionalLong.of(2)));
        meters.refresh();
        meters.refresh();

        assertEquals(List.of(), micrometer.messages(), "Micrometer warned");
        assertEquals(0, registry.get("duplex.bridge.up").tag("bridge", "kafka").gauge().value());
        assertEquals(2, registry.get("duplex.bridge.backlog").tag("bridge", "kafka").gauge().value());
        assertEquals(5, registry.get("duplex.bridge.messages").tag("counter", "in").functionCounter().count());
        assertEquals(1, registry.get("duplex.bridge.messages").tag("counter", "out").functionCounter().count());
        assertEquals(4, registry.getMeters().size());
    }

    /** Metrics over a registry of the test's. */
    private static final class FixedMetrics extends Metrics {
        private final MeterRegistry registry;

        FixedMetrics(MeterRegistry registry) {
            this.registry = registry;
        }

        @Override
        public MeterRegistry registry() {
            return registry;
        }
    }

    /** Bridges that report what the test says. */
    private static final class FixedBridges extends Bridges {
        private final List<BridgeStatus> statuses;

        FixedBridges(List<BridgeStatus> statuses) {
            this.statuses = statuses;
        }

        @Override
        public List<BridgeStatus> statuses() {
            return List.copyOf(statuses);
        }
    }
}
