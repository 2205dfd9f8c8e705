package io.duplex.rest;

import io.duplex.app.Version;
import io.duplex.bridge.Bridges;
import io.duplex.config.DuplexConfig;
import io.duplex.core.Hub;
import io.duplex.core.Node;
import io.duplex.error.DuplexException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Readiness for load balancers and operators. */
@ApplicationScoped
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "health", description = "Readiness of this node")
public class HealthResource {
    private final Node node;
    private final Hub hub;
    private final Version version;
    private final String mode;
    private final Bridges bridges;

    protected HealthResource() {
        // for CDI's client proxy
        this.bridges = null;
        this.node = null;
        this.hub = null;
        this.version = null;
        this.mode = null;
    }

    @Inject
    public HealthResource(Node node, Hub hub, Version version, DuplexConfig config, Bridges bridges) {
        this.bridges = bridges;
        this.node = node;
        this.hub = hub;
        this.version = version;
        this.mode = config.mode().label();
    }

    @GET
    @Operation(operationId = "getHealth", summary = "Health",
            description = "200 while the node can serve; 503 while the engine is unreachable or the node is stopping. Needs no credentials. "
                    + "Each bridge is listed with its state; a bridge that is down leaves the node up.")
    @ApiResponse(responseCode = "200", description = "up", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Dto.Health.class)))
    @ApiResponse(responseCode = "503", description = "down", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Dto.Health.class)))
    public Response health() {
        boolean up = node.healthy();
        // Counting the engine's channels needs the engine: while it is unreachable, the channels of this node.
        int channels = hub.channels().size();
        if (up) {
            try {
                channels = node.channels().size();
            } catch (DuplexException e) {
                up = false;
            }
        }
        List<Dto.Bridge> links = bridges.statuses().stream()
                .map(b -> new Dto.Bridge(b.name(), b.state().label(), b.detail(), b.counters())).toList();
        Dto.Health health = new Dto.Health(up ? "up" : "down", node.engine(), version.value(), mode,
                hub.sessionCount(), channels, links);
        return Response.status(up ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE).entity(health).build();
    }
}
