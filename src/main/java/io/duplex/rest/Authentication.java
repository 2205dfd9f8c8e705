package io.duplex.rest;

import io.duplex.security.Credentials;
import io.duplex.security.Identity;
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

/**
 * Establishes who calls the REST API, from {@code Authorization: Bearer …} ({@link Credentials}): an API key (full
 * rights) or a token (the rights of its claims). Bad credentials are refused here with 401; missing ones make an
 * anonymous caller, and each endpoint decides through {@link Access} whether that is enough. With no API key
 * and no token key configured (dev mode) every caller has full rights.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
@ApplicationScoped
public class Authentication implements ContainerRequestFilter {
    private final Credentials credentials;

    protected Authentication() {
        // for CDI's client proxy
        this.credentials = null;
    }

    @Inject
    public Authentication(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        SecurityContext original = request.getSecurityContext();
        boolean secure = original != null && original.isSecure();
        request.setSecurityContext(new Caller(credentials.caller(request.getHeaderString(HttpHeaders.AUTHORIZATION)), secure));
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
