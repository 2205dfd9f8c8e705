package io.duplex.rest;

import io.duplex.metrics.RestMeters;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The REST door, {@code /api}. Lists its classes explicitly, so nothing is picked up by classpath scanning
 * and the OpenAPI document at {@code /api/openapi.json} is generated from exactly these resources.
 */
@ApplicationPath("/api")
public class DuplexApi extends Application {
    /** The resources the OpenAPI document describes, in the order it lists them. */
    static final List<Class<?>> RESOURCES = List.of(ChannelsResource.class, MessagesResource.class, SessionsResource.class,
            HealthResource.class);

    @Override
    public Set<Class<?>> getClasses() {
        Set<Class<?>> classes = new HashSet<>(RESOURCES);
        classes.addAll(Set.of(OpenApiDocument.class, Authentication.class, ContentNegotiation.class, ProblemMappers.Duplex.class,
                ProblemMappers.Web.class, ProblemMappers.Unexpected.class, JsonConfig.class, RestMeters.class));
        return classes;
    }

    @Override
    public Map<String, Object> getProperties() {
        // WADL needs JAXB, which this WAR does not carry; the API is described by OpenAPI instead.
        return Map.of("jersey.config.server.wadl.disableWadl", true);
    }
}
