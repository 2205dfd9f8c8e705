package io.duplex.metrics;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.glassfish.jersey.micrometer.server.DefaultJerseyTagsProvider;
import org.glassfish.jersey.micrometer.server.JerseyTagsProvider;
import org.glassfish.jersey.micrometer.server.MetricsApplicationEventListener;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;

/**
 * The latency of every REST request, timed by Jersey's own Micrometer instrumentation (jersey-micrometer) as
 * {@code http_server_requests_seconds} with its labels (method, uri as the route template, status, outcome, exception)
 * and one more, {@code operation}: the OpenAPI operationId of the resource method, the name a client generated from the
 * document knows. A request that matched no route is {@code uri="NOT_FOUND"}, {@code operation="none"}: the labels never
 * carry a path a client wrote.
 */
@Provider
@ApplicationScoped
public class RestMeters implements ApplicationEventListener {
    /** The timer's name (Prometheus: {@code http_server_requests_seconds}). */
    static final String NAME = "http.server.requests";

    private final ApplicationEventListener jersey;

    protected RestMeters() {
        // for CDI's client proxy
        this.jersey = null;
    }

    @Inject
    public RestMeters(Metrics metrics) {
        this.jersey = new MetricsApplicationEventListener(metrics.registry(), new WithOperation(), NAME, true);
    }

    @Override
    public void onEvent(ApplicationEvent event) {
        jersey.onEvent(event);
    }

    @Override
    public RequestEventListener onRequest(RequestEvent event) {
        return jersey.onRequest(event);
    }

    /** Jersey's default labels, plus the operationId of the method that handled the request. */
    private static final class WithOperation implements JerseyTagsProvider {
        private final DefaultJerseyTagsProvider defaults = new DefaultJerseyTagsProvider();
        private final Map<Method, Tag> operations = new ConcurrentHashMap<>();

        @Override
        public Iterable<Tag> httpRequestTags(RequestEvent event) {
            return Tags.of(defaults.httpRequestTags(event)).and(operation(event));
        }

        @Override
        public Iterable<Tag> httpLongRequestTags(RequestEvent event) {
            return Tags.of(defaults.httpLongRequestTags(event)).and(operation(event));
        }

        private Tag operation(RequestEvent event) {
            ResourceMethod matched = event.getUriInfo() == null ? null : event.getUriInfo().getMatchedResourceMethod();
            if (matched == null) {
                return Tag.of("operation", "none");
            }
            return operations.computeIfAbsent(matched.getInvocable().getDefinitionMethod(), method -> {
                Operation operation = method.getAnnotation(Operation.class);
                String id = operation == null || operation.operationId().isEmpty() ? method.getName() : operation.operationId();
                return Tag.of("operation", id);
            });
        }
    }
}
