package io.duplex.rest;

import io.duplex.app.Version;
import io.duplex.bridge.Bridges;
import io.duplex.config.DuplexConfig;
import io.duplex.core.Hub;
import io.duplex.core.Node;
import io.duplex.error.DuplexException;
import io.duplex.health.Readiness;
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
import java.util.ArrayList;
import java.util.List;

/**
 * Health for load balancers, orchestrators and operators: {@code /api/health/live} (the process answers),
 * {@code /api/health/ready} (send it new connections) and {@code /api/health} (protocol v1: readiness with the node's
 * figures). None needs credentials.
 */
@ApplicationScoped
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "health", description = "Liveness and readiness of this node")
public class HealthResource {
    private final Node node;
    private final Hub hub;
    private final Readiness readiness;
    private final Version version;
    private final String mode;
    private final Bridges bridges;

    protected HealthResource() {
        // for CDI's client proxy
        this.bridges = null;
        this.node = null;
        this.hub = null;
        this.readiness = null;
        this.version = null;
        this.mode = null;
    }

    @Inject
    public HealthResource(Node node, Hub hub, Readiness readiness, Version version, DuplexConfig config, Bridges bridges) {
        this.bridges = bridges;
        this.node = node;
        this.hub = hub;
        this.readiness = readiness;
        this.version = version;
        this.mode = config.mode().label();
    }

    @GET
    @Operation(operationId = "getHealth", summary = "Health",
            description = "200 while the node is ready (as /api/health/ready); 503 while the engine is unreachable or the node "
                    + "is draining or stopping, or a bridge that bridges.required names is not up. With the node's figures, and "
                    + "each bridge with its state: a bridge that bridges.required does not name leaves the node up when it is "
                    + "down. Needs no credentials.")
    @ApiResponse(responseCode = "200", description = "up", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Dto.Health.class)))
    @ApiResponse(responseCode = "503", description = "down", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Dto.Health.class)))
    public Response health() {
        boolean up = readiness.ready();
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
                .map(b -> new Dto.Bridge(b.name(), b.state().label(), b.detail(), b.counters(),
                        b.backlog().isPresent() ? b.backlog().getAsLong() : null)).toList();
        Dto.Health health = new Dto.Health(up ? "up" : "down", node.engine(), version.value(), mode,
                hub.sessionCount(), channels, links);
        return Response.status(up ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE).entity(health).build();
    }

    @GET
    @Path("/live")
    @Operation(operationId = "getLiveness", summary = "Liveness",
            description = "200 while the node answers at all, whatever its engine: restart the node only when this fails. "
                    + "Needs no credentials.")
    @ApiResponse(responseCode = "200", description = "alive", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Dto.Liveness.class)))
    public Dto.Liveness live() {
        return new Dto.Liveness("up");
    }

    @GET
    @Path("/ready")
    @Operation(operationId = "getReadiness", summary = "Readiness",
            description = "200 while the node should be sent new connections; 503 while its engine is unreachable, while a "
                    + "bridge that bridges.required names is not up, and from the moment it starts draining before a stop "
                    + "(before its sessions are closed with 1001). Each check says why. Needs no credentials.")
    @ApiResponse(responseCode = "200", description = "ready", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Dto.Readiness.class)))
    @ApiResponse(responseCode = "503", description = "not ready", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Dto.Readiness.class)))
    public Response ready() {
        List<Dto.Check> checks = new ArrayList<>();
        boolean up = true;
        for (Readiness.Check check : readiness.checks()) {
            checks.add(new Dto.Check(check.name(), check.up() ? "up" : "down", check.detail()));
            up &= check.up();
        }
        return Response.status(up ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE)
                .entity(new Dto.Readiness(up ? "up" : "down", checks)).build();
    }
}
