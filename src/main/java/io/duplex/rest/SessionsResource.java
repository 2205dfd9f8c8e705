package io.duplex.rest;

import io.duplex.channel.Payload;
import io.duplex.config.DuplexConfig;
import io.duplex.core.ClientSession;
import io.duplex.core.Hub;
import io.duplex.core.Node;
import io.duplex.error.DisconnectReason;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.InputStream;
import java.util.Comparator;

/** Live WebSocket sessions over REST: list them, look one up, push to one, disconnect one. */
@ApiResponse(responseCode = "401", ref = OpenApiSpec.UNAUTHORIZED)
@ApiResponse(responseCode = "403", ref = OpenApiSpec.FORBIDDEN)
@SecurityRequirement(name = OpenApiSpec.BEARER)
@ApplicationScoped
@Path("/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sessions", description = "Live WebSocket sessions of this node")
public class SessionsResource {
    private final Hub hub;
    private final Node node;
    private final DuplexConfig config;
    private final Access access;

    protected SessionsResource() {
        // for CDI's client proxy
        this(null, null, null, null);
    }

    @Inject
    public SessionsResource(Hub hub, Node node, DuplexConfig config, Access access) {
        this.hub = hub;
        this.node = node;
        this.config = config;
        this.access = access;
    }

    @GET
    @Operation(operationId = "listSessions", summary = "List sessions",
            description = "The WebSocket sessions open on this node that have completed `connect`, oldest first.")
    @ApiResponse(responseCode = "200", description = "The sessions",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Dto.SessionList.class)))
    public Dto.SessionList list(@Context SecurityContext security) {
        access.admin(security);
        return new Dto.SessionList(hub.sessions().stream()
                .sorted(Comparator.comparing(ClientSession::connectedAt).thenComparing(ClientSession::id))
                .map(SessionsResource::info)
                .toList());
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getSession", summary = "One session", description = "A session open on this node.")
    @ApiResponse(responseCode = "200", description = "The session",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Dto.SessionInfo.class)))
    @ApiResponse(responseCode = "404", ref = OpenApiSpec.NOT_FOUND)
    public Dto.SessionInfo get(@Parameter(ref = OpenApiSpec.SESSION) @PathParam("id") String id, @Context SecurityContext security) {
        access.admin(security);
        return info(find(id));
    }

    @DELETE
    @Path("/{id}")
    @Produces(MediaType.WILDCARD) // no body on success: whatever the client accepts, errors are problem documents
    @Operation(operationId = "disconnectSession", summary = "Disconnect a session",
            description = "Closes the session's connection with code 4001; it leaves every channel at once.")
    @ApiResponse(responseCode = "204", description = "Disconnected")
    @ApiResponse(responseCode = "404", ref = OpenApiSpec.NOT_FOUND)
    public Response disconnect(@Parameter(ref = OpenApiSpec.SESSION) @PathParam("id") String id, @Context SecurityContext security) {
        access.admin(security);
        node.disconnect(find(id), DisconnectReason.DISCONNECTED);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.WILDCARD) // no body on success: whatever the client accepts, errors are problem documents
    @Operation(operationId = "sendToSession", summary = "Send to one session",
            description = "Pushes the data to the session as a `direct` frame.")
    @ApiResponse(responseCode = "202", description = "Queued for the session")
    @ApiResponse(responseCode = "400", ref = OpenApiSpec.BAD_REQUEST)
    @ApiResponse(responseCode = "404", ref = OpenApiSpec.NOT_FOUND)
    @ApiResponse(responseCode = "413", ref = OpenApiSpec.TOO_LARGE)
    @ApiResponse(responseCode = "415", ref = OpenApiSpec.UNSUPPORTED_MEDIA_TYPE)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Dto.DataBody.class)))
    public Response send(@Parameter(ref = OpenApiSpec.SESSION) @PathParam("id") String id,
            @Parameter(hidden = true) InputStream body, @Context HttpHeaders headers, @Context SecurityContext security) {
        access.admin(security);
        ClientSession session = find(id);
        Payload data = JsonBody.data(body, headers.getMediaType(), headers.getHeaderString(HttpHeaders.CONTENT_LENGTH),
                config.frameMaxBytes());
        if (!node.push(session, data)) {
            throw gone(id);
        }
        return Response.accepted().build();
    }

    private ClientSession find(String id) {
        return hub.session(id).orElseThrow(() -> gone(id));
    }

    private static DuplexException gone(String id) {
        String shown = id.length() > 40 ? id.substring(0, 40) + "…" : id;
        return new DuplexException(ErrorCode.NOT_FOUND, "no open session '" + shown + "' on this node");
    }

    private static Dto.SessionInfo info(ClientSession s) {
        return new Dto.SessionInfo(s.id(), s.user(), s.remote(), s.connectedAt(),
                s.channels().stream().map(c -> c.value()).toList(), s.door().name());
    }
}
