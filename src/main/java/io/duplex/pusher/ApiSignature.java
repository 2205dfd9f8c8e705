package io.duplex.pusher;

import io.duplex.config.PusherApp;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The signature of a Pusher HTTP API request, as Pusher's docs define it: {@code auth_key}, {@code auth_timestamp}
 * (seconds), {@code auth_version=1.0}, {@code body_md5} when there is a body, and {@code auth_signature =
 * hex(HMAC-SHA256(secret, METHOD\nPATH\nQUERY))}, QUERY being every other parameter, keys lower-cased, sorted, as
 * {@code key=value} joined by {@code &}, values as they were before URL encoding.
 */
public final class ApiSignature {
    /** How far the request's timestamp may be from this node's clock, either way: Pusher's 600 seconds. */
    public static final long WINDOW_SECONDS = 600;

    private ApiSignature() {
    }

    /** The text that is signed. */
    static String signedText(String method, String path, Map<String, List<String>> query) {
        TreeMap<String, String> sorted = new TreeMap<>();
        query.forEach((key, values) -> {
            String k = key.toLowerCase(Locale.ROOT);
            if (!k.equals("auth_signature") && !values.isEmpty()) {
                sorted.put(k, values.get(0));
            }
        });
        StringBuilder text = new StringBuilder(method.toUpperCase(Locale.ROOT)).append('\n').append(path).append('\n');
        boolean first = true;
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            if (!first) {
                text.append('&');
            }
            first = false;
            text.append(e.getKey()).append('=').append(e.getValue());
        }
        return text.toString();
    }

    /** The {@code auth_signature} of a request. */
    public static String sign(PusherApp app, String method, String path, Map<String, List<String>> query) {
        return Signatures.hmacSha256(app.secret(), signedText(method, path, query));
    }

    /**
     * Why the request is not the app's, or empty when it is: its key, timestamp (within {@link #WINDOW_SECONDS}),
     * version, body digest and signature are checked. The reasons say what is wrong, never what was expected.
     */
    public static Optional<String> refusal(PusherApp app, String method, String path, Map<String, List<String>> query,
            byte[] body, long nowSeconds) {
        String key = first(query, "auth_key");
        String timestamp = first(query, "auth_timestamp");
        String version = first(query, "auth_version");
        String signature = first(query, "auth_signature");
        if (key == null || timestamp == null || signature == null) {
            return Optional.of("auth_key, auth_timestamp and auth_signature are required");
        }
        if (!key.equals(app.key())) {
            return Optional.of("unknown auth_key");
        }
        if (version != null && !version.equals("1.0")) {
            return Optional.of("auth_version must be 1.0");
        }
        long then;
        try {
            then = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return Optional.of("auth_timestamp must be a number of seconds");
        }
        if (Math.abs(nowSeconds - then) > WINDOW_SECONDS) {
            return Optional.of("timestamp expired: auth_timestamp is more than " + WINDOW_SECONDS
                    + " s from the server's time (" + nowSeconds + ")");
        }
        if (body != null && body.length > 0) {
            String md5 = first(query, "body_md5");
            if (md5 == null || !Signatures.same(Signatures.md5(body), md5.toLowerCase(Locale.ROOT))) {
                return Optional.of("body_md5 does not match the body");
            }
        }
        if (!Signatures.same(sign(app, method, path, query), signature.toLowerCase(Locale.ROOT))) {
            return Optional.of("invalid signature: expected HMAC SHA256 hex digest of METHOD\\nPATH\\nQUERY");
        }
        return Optional.empty();
    }

    private static String first(Map<String, List<String>> query, String key) {
        List<String> values = query.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
