package io.duplex.bridge.mqtt;

import io.duplex.bridge.Bridge;
import io.duplex.bridge.BridgeProvider;
import io.duplex.config.DuplexConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** Makes the MQTT bridge, for {@code bridges=mqtt}. Paho's classes are loaded only by {@link #create}. */
@ApplicationScoped
public class MqttBridgeProvider implements BridgeProvider {
    static final String NAME = "mqtt";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Bridge create(DuplexConfig config) {
        return new MqttBridge(config, NAME);
    }
}
