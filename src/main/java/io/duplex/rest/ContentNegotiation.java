package io.duplex.rest;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/**
 * Never refuses a reasonable {@code Accept}: the API answers JSON on success and a problem document on error, so a
 * client that accepts {@code application/problem+json} (or any {@code +json} type) but not {@code application/json} —
 * as clients generated from the OpenAPI document do for operations whose only other answers are errors — is served as
 * if it accepted JSON, rather than refused with 406. An {@code Accept} that names no JSON type at all (only
 * {@code text/html}, say) still gets 406, as a problem document.
 */
@Provider
@PreMatching
@Priority(1)
public class ContentNegotiation implements ContainerRequestFilter {
    private static final String PROBLEM_JSON = "application/problem+json";

    @Override
    public void filter(ContainerRequestContext request) {
        List<MediaType> accepted = request.getAcceptableMediaTypes();
        if (accepted.stream().anyMatch(type -> type.isCompatible(MediaType.APPLICATION_JSON_TYPE))) {
            return;
        }
        if (accepted.stream().anyMatch(ContentNegotiation::jsonLike)) {
            request.getHeaders().putSingle(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON + ", " + PROBLEM_JSON);
        }
    }

    private static boolean jsonLike(MediaType type) {
        return "application".equalsIgnoreCase(type.getType()) && type.getSubtype().toLowerCase(java.util.Locale.ROOT).endsWith("+json");
    }
}
