package io.duplex.stomp;

import java.util.List;

/**
 * A version of STOMP a client may speak, with its WebSocket subprotocol. The versions differ, for Duplex, only in how
 * header values are escaped: 1.0 has no escapes, 1.1 has {@code \\ \c \n}, 1.2 adds {@code \r}.
 */
public enum StompVersion {
    V1_0("1.0", "v10.stomp"),
    V1_1("1.1", "v11.stomp"),
    V1_2("1.2", "v12.stomp");

    /** The subprotocols the endpoint offers, most preferred first. */
    public static final List<String> SUBPROTOCOLS = List.of(V1_2.subprotocol, V1_1.subprotocol, V1_0.subprotocol);

    private final String label;
    private final String subprotocol;

    StompVersion(String label, String subprotocol) {
        this.label = label;
        this.subprotocol = subprotocol;
    }

    /** As written in {@code accept-version} and {@code version}: {@code 1.2}. */
    public String label() {
        return label;
    }

    /** The WebSocket subprotocol of this version: {@code v12.stomp}. */
    public String subprotocol() {
        return subprotocol;
    }

    /** Whether header values of frames other than CONNECT and CONNECTED are escaped. */
    boolean escapes() {
        return this != V1_0;
    }

    /** Whether {@code \r} is an escape (1.2) rather than an undefined one. */
    boolean escapesCarriageReturn() {
        return this == V1_2;
    }

    /**
     * The highest version both sides speak, from a CONNECT's {@code accept-version} (comma-separated; absent means 1.0,
     * as the specification says); null when none is common.
     */
    public static StompVersion negotiate(String acceptVersion) {
        if (acceptVersion == null) {
            return V1_0;
        }
        StompVersion best = null;
        for (String offered : acceptVersion.split(",", -1)) {
            for (StompVersion version : values()) {
                if (version.label.equals(offered.trim()) && (best == null || version.compareTo(best) > 0)) {
                    best = version;
                }
            }
        }
        return best;
    }

    /** The version a WebSocket subprotocol names, or null. */
    public static StompVersion ofSubprotocol(String subprotocol) {
        for (StompVersion version : values()) {
            if (version.subprotocol.equals(subprotocol)) {
                return version;
            }
        }
        return null;
    }
}
