package io.duplex.security;

import java.security.Principal;
import java.time.Instant;
import java.util.List;

/**
 * Who is on the other end of a connection or a REST call, and what its credentials allow: the verified
 * claims of a token, or an API key's full rights. Immutable; a refreshed token gives a new one.
 *
 * @param user      the token's {@code sub}, or null for an anonymous dev-mode client or an API key
 * @param expiresAt when the credentials expire, or null when they do not (API keys, dev mode)
 * @param subscribe channel patterns (a name, or a prefix ending in {@code *}) the holder may subscribe to and read
 * @param publish   channel patterns the holder may publish to
 * @param admin     whether the holder may do everything: every channel, the sessions API
 */
public record Identity(String user, Instant expiresAt, List<String> subscribe, List<String> publish, boolean admin)
        implements Principal {

    /** A client of a node that checks no tokens (dev mode without a token key): anonymous, allowed everything. */
    public static final Identity UNCHECKED = new Identity(null, null, List.of(), List.of(), true);
    /** A REST caller that sent a valid API key. */
    public static final Identity API_KEY = new Identity(null, null, List.of(), List.of(), true);
    /** A REST caller that sent no credentials. */
    public static final Identity NOBODY = new Identity(null, null, List.of(), List.of(), false);

    public Identity {
        subscribe = List.copyOf(subscribe);
        publish = List.copyOf(publish);
    }

    /** The name JAX-RS shows as the principal: the user, or what kind of caller this is. */
    @Override
    public String getName() {
        if (user != null) {
            return user;
        }
        return this == API_KEY ? "api-key" : "anonymous";
    }

    /** Whether the holder showed credentials at all. */
    public boolean authenticated() {
        return this != NOBODY;
    }
}
