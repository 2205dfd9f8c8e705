package io.duplex.bridge.kafka;

import io.duplex.bridge.Bridge;
import io.duplex.bridge.BridgeProvider;
import io.duplex.config.DuplexConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** Makes the Kafka bridge, for {@code bridges=kafka}. Kafka's client classes are loaded only by {@link #create}. */
@ApplicationScoped
public class KafkaBridgeProvider implements BridgeProvider {
    static final String NAME = "kafka";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Bridge create(DuplexConfig config) {
        return new KafkaBridge(config.kafka(), NAME);
    }
}
