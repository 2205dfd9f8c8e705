package io.duplex.security;

import io.duplex.config.Mode;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which web origins may open WebSocket connections: the defence against cross-site WebSocket hijacking,
 * where a page on another site opens a connection with the visitor's cookies or network position.
 * A client that sends no {@code Origin} is not a browser page and is not concerned.
 */
public final class OriginPolicy {
    private final List<String> allowed;
    private final boolean any;

    /**
     * @param configured the {@code origins} setting; when absent, dev mode allows any origin and production
     *                   mode only the node's own
     */
    public OriginPolicy(Optional<List<String>> configured, Mode mode) {
        List<String> list = configured.orElse(mode == Mode.DEV ? List.of("*") : List.of());
        this.any = list.contains("*");
        this.allowed = list.stream().map(OriginPolicy::normalize).toList();
    }

    /**
     * Whether a handshake with this {@code Origin} header to this request URI may proceed. Without a list,
     * the origin must be the request's own: same host and port, https with wss and http with ws.
     */
    public boolean allows(String origin, URI request) {
        if (origin == null || any) {
            return true;
        }
        String normalized = normalize(origin);
        if (!allowed.isEmpty()) {
            return allowed.contains(normalized);
        }
        return request != null && normalized.equals(ownOrigin(request));
    }

    /** The origin a page served by this request's host has: {@code https://host:port} for a wss:// request. */
    static String ownOrigin(URI request) {
        String scheme = request.getScheme() == null ? "" : request.getScheme().toLowerCase(Locale.ROOT);
        String web = switch (scheme) {
            case "wss", "https" -> "https";
            default -> "http";
        };
        if (request.getHost() == null) {
            return null;
        }
        return normalize(web + "://" + request.getHost() + (request.getPort() < 0 ? "" : ":" + request.getPort()));
    }

    /** Lower case, default port dropped: {@code HTTPS://App.example.com:443} is {@code https://app.example.com}. */
    static String normalize(String origin) {
        String text = origin.trim().toLowerCase(Locale.ROOT);
        if (text.equals("null") || text.equals("*")) {
            return text;
        }
        try {
            URI uri = URI.create(text);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return text;
            }
            int port = uri.getPort();
            boolean defaultPort = port < 0 || (uri.getScheme().equals("http") && port == 80)
                    || (uri.getScheme().equals("https") && port == 443);
            return uri.getScheme() + "://" + uri.getHost() + (defaultPort ? "" : ":" + port);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
