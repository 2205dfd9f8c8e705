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
    /** Lettuce's timeout parameter: a whole number of seconds, or with a unit (ns, us, ms, s, m, h, d); zero is refused. */
    private static final Pattern TIMEOUT = Pattern.compile("0*[1-9][0-9]*(ns|us|ms|s|m|h|d)?");

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

    /**
     * Checks what Lettuce would accept and then fail on, or silently ignore, only when connecting: hosts and ports, the
     * database, the sentinel master and the {@code timeout} parameter. Throws with the reason, which never quotes the
     * credentials.
     */
    void check() {
        String scheme = scheme();
        String rest = value.substring(value.indexOf("://") + 3);
        String fragment = null;
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            fragment = rest.substring(hash + 1);
            rest = rest.substring(0, hash);
        }
        String query = "";
        int question = rest.indexOf('?');
        if (question >= 0) {
            query = rest.substring(question + 1);
            rest = rest.substring(0, question);
        }
        if (scheme.equals("redis-socket")) {
            checkQuery(query);
            return;
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        boolean sentinel = scheme.endsWith("-sentinel");
        if (authority.isEmpty()) {
            throw new IllegalArgumentException("no host");
        }
        for (String address : sentinel ? authority.split(",", -1) : new String[] {authority}) {
            checkAddress(address);
        }
        if (!path.isEmpty() && !isNumber(path)) {
            throw new IllegalArgumentException("the database '/" + path + "' is not a number");
        }
        if (sentinel && (fragment == null || fragment.isBlank())) {
            throw new IllegalArgumentException("a Sentinel URI names its master after '#', e.g. redis-sentinel://host:26379#mymaster");
        }
        checkQuery(query);
    }

    private static void checkAddress(String address) {
        int colon = address.lastIndexOf(':');
        // In [::1]:6379 the port's colon is the one after the bracket.
        boolean hasPort = colon >= 0 && !(address.startsWith("[") && colon < address.indexOf(']'));
        String host = hasPort ? address.substring(0, colon) : address;
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host in '" + address + "'");
        }
        if (hasPort) {
            String port = address.substring(colon + 1);
            if (!isNumber(port) || port.length() > 5 || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw new IllegalArgumentException("the port '" + port + "' of " + host + " is not a number from 1 to 65535");
            }
        }
    }

    private static void checkQuery(String query) {
        for (String parameter : query.isEmpty() ? new String[0] : query.split("&")) {
            int equals = parameter.indexOf('=');
            String name = (equals < 0 ? parameter : parameter.substring(0, equals)).toLowerCase(Locale.ROOT);
            String value = equals < 0 ? "" : parameter.substring(equals + 1);
            if (name.equals("timeout") && !TIMEOUT.matcher(value).matches()) {
                throw new IllegalArgumentException("timeout=" + value + " is not a duration above zero, e.g. timeout=5s or "
                        + "timeout=500ms");
            }
            if ((name.equals("database") || name.equals("db")) && !isNumber(value)) {
                throw new IllegalArgumentException(name + "=" + value + " is not a number");
            }
        }
    }

    private static boolean isNumber(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    @Override
    public String toString() {
        return masked();
    }
}
