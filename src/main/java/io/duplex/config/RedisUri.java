package io.duplex.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the Redis engine connects: a {@code redis://}, {@code rediss://} (TLS) or {@code redis-sentinel://} URI, as
 * Lettuce reads it. It may carry a password, so {@link #toString} and {@link #masked} never show one: a URI that ends
 * up in a log line or an error message shows {@code redis://***@host:6379}.
 */
public record RedisUri(String value) {
    /** The schemes Lettuce's RedisURI reads. */
    static final String[] SCHEMES = {"redis", "rediss", "redis-sentinel", "rediss-sentinel", "redis-socket"};
    private static final Pattern SECRET_PARAMETER = Pattern.compile("(?i)([?&](?:password|pass|pwd)=)[^&#]*");

    /**
     * The URI with its credentials replaced by {@code ***}: the user name stays, the password goes. Everything between
     * {@code ://} and the last {@code @} counts as credentials, even in a URI too broken to parse, so that masking
     * never depends on the URI being valid.
     */
    public String masked() {
        return mask(value);
    }

    /** The text with the credentials of a URI in it masked: for this URI, or a message that quotes it. */
    public static String mask(String text) {
        String out = text;
        int start = out.indexOf("://");
        int at = out.lastIndexOf('@');
        if (start >= 0 && at > start + 3) {
            String userInfo = out.substring(start + 3, at);
            int colon = userInfo.indexOf(':');
            // "user:password" keeps the user; a lone "password" (Lettuce's redis://password@host) is all secret.
            String shown = colon > 0 ? userInfo.substring(0, colon) + ":***" : "***";
            out = out.substring(0, start + 3) + shown + out.substring(at);
        } else if (start < 0 && at >= 0) {
            out = "***" + out.substring(at);
        }
        Matcher parameter = SECRET_PARAMETER.matcher(out);
        return parameter.replaceAll("$1***");
    }

    /** The URI's scheme in lower case, or null when it has none. */
    public String scheme() {
        int end = value.indexOf("://");
        return end <= 0 ? null : value.substring(0, end).toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return masked();
    }
}
