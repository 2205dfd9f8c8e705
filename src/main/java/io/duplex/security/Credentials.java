package io.duplex.security;

import io.duplex.config.DuplexConfig;
import io.duplex.config.Secret;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Who an HTTP caller is, from its {@code Authorization: Bearer …} header: an API key (full rights) or a token (the rights
 * of its claims). The REST API's filter and the metrics endpoint ask it alike. Bad credentials throw {@code unauthorized};
 * none make {@link Identity#NOBODY}; with no API key and no token key configured (dev mode), every caller is
 * {@link Identity#UNCHECKED}.
 */
@ApplicationScoped
public class Credentials {
    private static final String BEARER = "Bearer ";

    private final boolean enabled;
    private final List<Secret> apiKeys;
    private final TokenVerifier tokens;

    protected Credentials() {
        // for CDI's client proxy
        this.enabled = false;
        this.apiKeys = List.of();
        this.tokens = null;
    }

    @Inject
    public Credentials(DuplexConfig config, TokenVerifier tokens) {
        this.enabled = config.auth().api();
        this.apiKeys = config.auth().apiKeys();
        this.tokens = tokens;
    }

    /** The caller an {@code Authorization} header (null when absent) shows. */
    public Identity caller(String authorization) {
        if (!enabled) {
            return Identity.UNCHECKED;
        }
        if (authorization == null) {
            return Identity.NOBODY;
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new DuplexException(ErrorCode.UNAUTHORIZED, "the Authorization header must be: Bearer <API key or token>");
        }
        String credential = authorization.substring(BEARER.length()).trim();
        boolean isKey = false;
        for (Secret key : apiKeys) {
            // Every key is compared, in constant time each: timing tells nothing about which nearly matched.
            isKey |= key.matches(credential);
        }
        if (isKey) {
            return Identity.API_KEY;
        }
        if (tokens.enabled() && credential.chars().filter(c -> c == '.').count() == 2) {
            return tokens.verify(credential);
        }
        throw new DuplexException(ErrorCode.UNAUTHORIZED, "the API key is not valid");
    }
}
