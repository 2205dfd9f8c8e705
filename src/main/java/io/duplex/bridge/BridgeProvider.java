package io.duplex.bridge;

import io.duplex.config.DuplexConfig;

/**
 * Makes one kind of bridge. Providers are CDI beans; {@link Bridges} asks the one whose {@link #name} the
 * {@code bridges} setting lists, so the core never names a bridge. A provider must not load its client library until
 * {@link #create} is called: a node without that bridge never touches it.
 */
public interface BridgeProvider {

    /** The name the {@code bridges} setting uses: {@code kafka}. */
    String name();

    /** A new, unstarted bridge for this configuration. */
    Bridge create(DuplexConfig config);
}
