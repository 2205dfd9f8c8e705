package io.duplex.rest;

import io.duplex.config.DuplexConfig;
import io.duplex.config.Secret;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import io.duplex.security.Identity;
import io.duplex.security.TokenVerifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.security.Principal;
import java.util.List;

/**
 * Establishes who calls the REST API, from {@code Authorization: Bearer …}: an API key (full rights) or a
 * token (the rights of its claims). Bad credentials are refused here with 401; missing ones make an
 * anonymous caller, and each endpoint decides through {@link Access} whether that is enough. With no API key
 * and no token key configured (dev mode) every caller has full rights.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
@ApplicationScoped
public class Authentication implements ContainerRequestFilter {
    private static final String BEARER = "Bearer ";

    private final boolean enabled;
    private final List<Secret> apiKeys;
    private final TokenVerifier tokens;

    protected Authentication() {
        // for CDI's client proxy
        this.enabled = false;
        this.apiKeys = List.of();
        this.tokens = null;
    }

    @Inject
    public Authentication(DuplexConfig config, TokenVerifier tokens) {
        this.enabled = config.auth().api();
        this.apiKeys = config.auth().apiKeys();
        this.tokens = tokens;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        SecurityContext original = request.getSecurityContext();
        boolean secure = original != null && original.isSecure();
        request.setSecurityContext(new Caller(caller(request.getHeaderString(HttpHeaders.AUTHORIZATION)), secure));
    }

    private Identity caller(String authorization) {
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

    /** The caller as JAX-RS sees it: the principal is the {@link Identity}. */
    record Caller(Identity identity, boolean secure) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return identity;
        }

        @Override
        public boolean isUserInRole(String role) {
            return "admin".equals(role) && identity.admin();
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public String getAuthenticationScheme() {
            return identity.authenticated() ? "Bearer" : null;
        }
    }
}
