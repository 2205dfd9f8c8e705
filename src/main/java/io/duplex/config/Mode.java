package io.duplex.config;

import java.util.Locale;

/** How strict a node is about security. */
public enum Mode {
    /** No setup: authentication optional, plain ws:// allowed, a loud warning at start. */
    DEV,
    /** Refuses to start without TLS (or a trusted proxy), a token key and an API key. */
    PRODUCTION;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
