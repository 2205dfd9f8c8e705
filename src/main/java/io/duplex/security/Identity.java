package io.duplex.security;

import java.security.Principal;
import java.time.Instant;
import java.util.List;

/**
 * Who is on the other end of a connection or a REST call, and what its credentials allow: the verified
 * claims of a token, or an API key's full rights. Immutable; a refreshed token gives a new one.
 *
 * @param source    what the caller showed
 * @param user      the token's {@code sub}, or null for an anonymous dev-mode client or an API key
 * @param expiresAt when the credentials expire, or null when they do not (API keys, dev mode)
 * @param subscribe channel patterns (a name, or a prefix ending in {@code *}) the holder may subscribe to and read
 * @param publish   channel patterns the holder may publish to
 * @param admin     whether the holder may do everything: every channel, the sessions API
 */
public record Identity(Source source, String user, Instant expiresAt, List<String> subscribe, List<String> publish,
        boolean admin) implements Principal {

    /** What a caller showed to be who it is. */
    public enum Source {
        /** Nothing, and nothing was asked: the node checks no credentials (dev mode without keys). */
        UNCHECKED,
        /** A valid API key. */
        API_KEY,
        /** A valid token. */
        TOKEN,
        /** Nothing, where credentials are checked. */
        NONE
    }

    /** A client of a node that checks no tokens (dev mode without a token key): anonymous, allowed everything. */
    public static final Identity UNCHECKED = new Identity(Source.UNCHECKED, null, null, List.of(), List.of(), true);
    /** A REST caller that sent a valid API key. */
    public static final Identity API_KEY = new Identity(Source.API_KEY, null, null, List.of(), List.of(), true);
    /** A REST caller that sent no credentials. */
    public static final Identity NOBODY = new Identity(Source.NONE, null, null, List.of(), List.of(), false);

    /** The identity a valid token proves. */
    public static Identity ofToken(String user, Instant expiresAt, List<String> subscribe, List<String> publish, boolean admin) {
        return new Identity(Source.TOKEN, user, expiresAt, subscribe, publish, admin);
    }

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
        return source == Source.API_KEY ? "api-key" : "anonymous";
    }

    /** Whether the holder showed credentials at all. */
    public boolean authenticated() {
        return source != Source.NONE;
    }
}
