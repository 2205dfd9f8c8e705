package io.duplex.rest;

import io.duplex.broker.History;
import io.duplex.broker.HistoryQuery;
import io.duplex.broker.PublishRequest;
import io.duplex.broker.PublishResult;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.IdempotencyKey;
import io.duplex.channel.Payload;
import io.duplex.channel.StreamPosition;
import io.duplex.config.DuplexConfig;
import io.duplex.core.Hub;
import io.duplex.core.Node;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.InputStream;
import java.net.URI;
import java.util.List;

/** Channels over REST: publish, read history, see a channel's state and who is subscribed. */
@ApiResponse(responseCode = "401", ref = OpenApiSpec.UNAUTHORIZED)
@ApiResponse(responseCode = "403", ref = OpenApiSpec.FORBIDDEN)
@SecurityRequirement(name = OpenApiSpec.BEARER)
@ApplicationScoped
@Path("/channels")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "channels", description = "Publish, history, channel state and presence")
public class ChannelsResource {
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";
    private static final int DEFAULT_LIMIT = 100;

    private final Node node;
    private final Hub hub;
    private final DuplexConfig config;
    private final Access access;

    protected ChannelsResource() {
        // for CDI's client proxy
        this(null, null, null, null);
    }

    @Inject
    public ChannelsResource(Node node, Hub hub, DuplexConfig config, Access access) {
        this.node = node;
        this.hub = hub;
        this.config = config;
        this.access = access;
    }

    @GET
    @Operation(operationId = "listChannels", summary = "List channels",
            description = "Channels with a history or with subscribers on this node, by name.")
    @ApiResponse(responseCode = "200", description = "The channels",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Dto.ChannelList.class)))
    @ApiResponse(responseCode = "503", ref = OpenApiSpec.ENGINE_UNAVAILABLE)
    public Dto.ChannelList list(@Context SecurityContext security) {
        access.listChannels(security);
        List<Dto.ChannelSummary> channels = node.channels().stream()
                .map(c -> new Dto.ChannelSummary(c.value(), hub.subscriberCount(c), node.position(c).offset()))
                .toList();
        return new Dto.ChannelList(channels);
    }

    @GET
    @Path("/{channel}")
    @Operation(operationId = "getChannel", summary = "Channel state", description = "The channel's epoch, latest offset and "
            + "subscribers on this node. A channel nothing was published to has offset 0.")
    @ApiResponse(responseCode = "200", description = "The channel's state",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Dto.ChannelInfo.class)))
    @ApiResponse(responseCode = "400", ref = OpenApiSpec.BAD_REQUEST)
    @ApiResponse(responseCode = "503", ref = OpenApiSpec.ENGINE_UNAVAILABLE)
    public Dto.ChannelInfo channel(@Parameter(ref = OpenApiSpec.CHANNEL) @PathParam("channel") String channel,
            @Context SecurityContext security) {
        ChannelName name = Params.channel(channel);
        access.read(security, name);
        StreamPosition position = node.position(name);
        return new Dto.ChannelInfo(name.value(), position.epoch(), position.offset(), hub.subscriberCount(name));
    }

    @POST
    @Path("/{channel}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "publishMessage", summary = "Publish a message", description = "Appends the message to the "
            + "channel's history and delivers it to every subscriber on every node. A 201 means it is in history. With an "
            + "`Idempotency-Key`, a retry within `publish.idempotency.window` is answered as the first publish was "
            + "(same offset, `Idempotent-Replayed: true`) and is not delivered again.")
    @ApiResponse(responseCode = "201", description = "Published (or, for a replayed idempotency key, published before)",
            headers = {
                @Header(name = "Location", description = "The message's URL", required = true,
                        schema = @Schema(type = "string", format = "uri")),
                @Header(name = IDEMPOTENT_REPLAYED, description = "Sent with an Idempotency-Key: true when this publish "
                        + "repeats an earlier one (nothing was published now), false when it was published now",
                        schema = @Schema(type = "boolean"))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Dto.Published.class)))
    @ApiResponse(responseCode = "400", ref = OpenApiSpec.BAD_REQUEST)
    @ApiResponse(responseCode = "413", ref = OpenApiSpec.TOO_LARGE)
    @ApiResponse(responseCode = "415", ref = OpenApiSpec.UNSUPPORTED_MEDIA_TYPE)
    @ApiResponse(responseCode = "422", ref = OpenApiSpec.KEY_REUSED)
    @ApiResponse(responseCode = "503", ref = OpenApiSpec.ENGINE_UNAVAILABLE)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Dto.DataBody.class)))
    public Response publish(@Parameter(ref = OpenApiSpec.CHANNEL) @PathParam("channel") String channel,
            @Parameter(ref = OpenApiSpec.IDEMPOTENCY_KEY_PARAMETER) @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            @Parameter(hidden = true) InputStream body, @Context ContainerRequestContext request) {
        // The most frequent call of the API (docs/performance.md): one context parameter rather than HttpHeaders, UriInfo
        // and SecurityContext (each a lookup per request), the Location built as text, the answer written here.
        SecurityContext security = request.getSecurityContext();
        ChannelName name = Params.channel(channel);
        access.publish(security, name);
        IdempotencyKey key = Params.idempotencyKey(idempotencyKey);
        Payload data = JsonBody.data(body, request.getMediaType(), request.getHeaderString(HttpHeaders.CONTENT_LENGTH),
                config.frameMaxBytes());
        PublishResult result = node.publish(PublishRequest.of(name, data, Access.publisher(security)).withIdempotencyKey(key));
        ChannelMessage message = result.message();
        String path = request.getUriInfo().getAbsolutePath().toString();
        // Dto.Published as JSON-B would write it; channel names and epochs need no escaping (ChannelName, Epochs).
        String published = "{\"channel\":\"" + name.value() + "\",\"epoch\":\"" + message.epoch() + "\",\"offset\":"
                + message.offset() + "}";
        Response.ResponseBuilder created = Response.created(URI.create(path + (path.endsWith("/") ? "" : "/") + message.offset()))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(published);
        if (key != null) {
            // A retry is answered as the first publish was, and says that it is a replay (as Stripe's API does).
            created.header(IDEMPOTENT_REPLAYED, Boolean.toString(result.outcome() == PublishResult.Outcome.DUPLICATE));
        }
        return created.build();
    }

    @GET
    @Path("/{channel}/messages")
    @Operation(operationId = "getHistory", summary = "Read history", description = "Messages with an offset greater than "
            + "`since`, oldest first, at most `limit`. Without `since`: the newest `limit` messages, oldest first. `offset` in "
            + "the answer is the channel's latest; a first message above since+1 means older ones are past retention.")
    @ApiResponse(responseCode = "200", description = "The messages asked for",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Dto.HistoryPage.class)))
    @ApiResponse(responseCode = "400", ref = OpenApiSpec.BAD_REQUEST)
    @ApiResponse(responseCode = "503", ref = OpenApiSpec.ENGINE_UNAVAILABLE)
    public Dto.HistoryPage history(@Parameter(ref = OpenApiSpec.CHANNEL) @PathParam("channel") String channel,
            @Parameter(description = "Offset the caller has; only newer messages are returned.",
                    schema = @Schema(type = "integer", format = "int64", minimum = "0")) @QueryParam("since") String since,
            @Parameter(description = "Most messages to return (default 100, at most history.page.max).",
                    schema = @Schema(type = "integer", format = "int32", minimum = "1")) @QueryParam("limit") String limit,
            @Context SecurityContext security) {
        ChannelName name = Params.channel(channel);
        access.read(security, name);
        Long after = Params.optionalOffset("since", since);
        int max = Params.limit(limit, DEFAULT_LIMIT, config.historyPageMax());
        History history = node.history(name, after == null ? HistoryQuery.latest(max) : HistoryQuery.after(after, max));
        List<Dto.Message> messages = history.messages().stream().map(ChannelsResource::message).toList();
        return new Dto.HistoryPage(name.value(), history.epoch(), history.offset(), messages);
    }

    @GET
    @Path("/{channel}/messages/{offset}")
    @Operation(operationId = "getMessage", summary = "Read one message", description = "The message at this offset, while it "
            + "is in history. This is the Location of a publish.")
    @ApiResponse(responseCode = "200", description = "The message",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Dto.Message.class)))
    @ApiResponse(responseCode = "400", ref = OpenApiSpec.BAD_REQUEST)
    @ApiResponse(responseCode = "404", ref = OpenApiSpec.NOT_FOUND)
    @ApiResponse(responseCode = "503", ref = OpenApiSpec.ENGINE_UNAVAILABLE)
    public Dto.Message message(@Parameter(ref = OpenApiSpec.CHANNEL) @PathParam("channel") String channel,
            @Parameter(description = "The message's offset.", required = true,
                    schema = @Schema(type = "integer", format = "int64", minimum = "1")) @PathParam("offset") String offset,
            @Context SecurityContext security) {
        ChannelName name = Params.channel(channel);
        access.read(security, name);
        long at = Params.offset("offset", offset, 1);
        History history = node.history(name, HistoryQuery.after(at - 1, 1));
        if (history.messages().isEmpty() || history.messages().get(0).offset() != at) {
            throw new DuplexException(ErrorCode.NOT_FOUND, at > history.offset()
                    ? "channel '" + name + "' has no message " + at + " yet (latest is " + history.offset() + ")"
                    : "message " + at + " of channel '" + name + "' is past retention");
        }
        return message(history.messages().get(0));
    }

    @GET
    @Path("/{channel}/presence")
    @Operation(operationId = "getPresence", summary = "Presence", description = "Sessions subscribed to the channel, on every "
            + "node, with their users, ordered by session id.")
    @ApiResponse(responseCode = "200", description = "The channel's subscribers",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Dto.PresenceList.class)))
    @ApiResponse(responseCode = "400", ref = OpenApiSpec.BAD_REQUEST)
    @ApiResponse(responseCode = "503", ref = OpenApiSpec.ENGINE_UNAVAILABLE)
    public Dto.PresenceList presence(@Parameter(ref = OpenApiSpec.CHANNEL) @PathParam("channel") String channel,
            @Context SecurityContext security) {
        ChannelName name = Params.channel(channel);
        access.read(security, name);
        List<Dto.Member> members = node.presence(name).stream().map(e -> new Dto.Member(e.session(), e.user())).toList();
        return new Dto.PresenceList(name.value(), members);
    }

    private static Dto.Message message(ChannelMessage m) {
        return new Dto.Message(m.offset(), m.data().value(), m.time());
    }
}
