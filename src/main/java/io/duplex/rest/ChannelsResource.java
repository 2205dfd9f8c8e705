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
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.List;

/** Channels over REST: publish, read history, see a channel's state and who is subscribed. */
@ApiResponse(responseCode = "401", description = "unauthorized: no credentials, or an API key or token that is not valid",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Dto.Problem.class)))
@ApiResponse(responseCode = "403", description = "permission_denied: the credentials do not allow this call",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Dto.Problem.class)))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", description = "An API key (api.key), "
        + "or a token (JWT) whose claims allow the call: admin for sessions and the channel list, subscribe for reads, publish "
        + "for publishing. Health and the OpenAPI document need none.")
@SecurityRequirement(name = "bearer")
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
    @Operation(summary = "List channels", description = "Channels with a history or with subscribers on this node, by name.")
    public Dto.ChannelList list(@Context SecurityContext security) {
        access.listChannels(security);
        List<Dto.ChannelSummary> channels = node.channels().stream()
                .map(c -> new Dto.ChannelSummary(c.value(), hub.subscriberCount(c), node.position(c).offset()))
                .toList();
        return new Dto.ChannelList(channels);
    }

    @GET
    @Path("/{channel}")
    @Operation(summary = "Channel state", description = "The channel's epoch, latest offset and subscribers on this node. "
            + "A channel nothing was published to has offset 0.")
    @ApiResponse(responseCode = "200", description = "The channel's state")
    @ApiResponse(responseCode = "400", description = "invalid_channel", content = @Content(mediaType = "application/problem+json",
            schema = @Schema(implementation = Dto.Problem.class)))
    public Dto.ChannelInfo channel(@PathParam("channel") String channel, @Context SecurityContext security) {
        ChannelName name = Params.channel(channel);
        access.read(security, name);
        StreamPosition position = node.position(name);
        return new Dto.ChannelInfo(name.value(), position.epoch(), position.offset(), hub.subscriberCount(name));
    }

    @POST
    @Path("/{channel}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Publish a message", description = "Appends the message to the channel's history and delivers it to "
            + "every subscriber on every node. A 201 means it is in history.")
    @ApiResponse(responseCode = "201", description = "Published", headers = @Header(name = "Location",
            description = "The message's URL"), content = @Content(schema = @Schema(implementation = Dto.Published.class)))
    @ApiResponse(responseCode = "400", description = "bad_request, invalid_channel", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = Dto.Problem.class)))
    @ApiResponse(responseCode = "413", description = "too_large", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = Dto.Problem.class)))
    @ApiResponse(responseCode = "415", description = "the body is not application/json in UTF-8", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = Dto.Problem.class)))
    @ApiResponse(responseCode = "503", description = "engine_unavailable: nothing was published", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = Dto.Problem.class)))
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = Dto.DataBody.class)))
    public Response publish(@PathParam("channel") String channel, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            @Parameter(hidden = true) InputStream body, @Context HttpHeaders headers, @Context UriInfo uri,
            @Context SecurityContext security) {
        ChannelName name = Params.channel(channel);
        access.publish(security, name);
        IdempotencyKey key = Params.idempotencyKey(idempotencyKey);
        Payload data = JsonBody.data(body, headers.getMediaType(), headers.getHeaderString(HttpHeaders.CONTENT_LENGTH),
                config.frameMaxBytes());
        PublishResult result = node.publish(PublishRequest.of(name, data, Access.publisher(security)).withIdempotencyKey(key));
        ChannelMessage message = result.message();
        Response.ResponseBuilder created = Response.created(uri.getAbsolutePathBuilder().path(Long.toString(message.offset())).build())
                .entity(new Dto.Published(name.value(), message.epoch(), message.offset()));
        if (key != null) {
            // A retry is answered as the first publish was, and says that it is a replay (as Stripe's API does).
            created.header(IDEMPOTENT_REPLAYED, Boolean.toString(result.outcome() == PublishResult.Outcome.DUPLICATE));
        }
        return created.build();
    }

    @GET
    @Path("/{channel}/messages")
    @Operation(summary = "Read history", description = "Messages with an offset greater than `since`, oldest first, at most "
            + "`limit`. Without `since`: the newest `limit` messages, oldest first. `offset` in the answer is the channel's "
            + "latest; a first message above since+1 means older ones are past retention.")
    @ApiResponse(responseCode = "200", description = "The messages asked for")
    @ApiResponse(responseCode = "400", description = "invalid_channel, or bad_request for since or limit", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Dto.Problem.class)))
    public Dto.HistoryPage history(@PathParam("channel") String channel,
            @Parameter(description = "Offset the caller has; only newer messages are returned.",
                    schema = @Schema(type = "integer", minimum = "0")) @QueryParam("since") String since,
            @Parameter(description = "Most messages to return (default 100).", schema = @Schema(type = "integer", minimum = "1"))
            @QueryParam("limit") String limit, @Context SecurityContext security) {
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
    @Operation(summary = "Read one message", description = "The message at this offset, while it is in history.")
    @ApiResponse(responseCode = "200", description = "The message")
    @ApiResponse(responseCode = "400", description = "invalid_channel, or an offset that is not a whole number ≥ 1", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Dto.Problem.class)))
    @ApiResponse(responseCode = "404", description = "not_found: never published, or past retention", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(implementation = Dto.Problem.class)))
    public Dto.Message message(@PathParam("channel") String channel, @PathParam("offset") String offset,
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
    @Operation(summary = "Presence", description = "Sessions subscribed to the channel, with their users.")
    @ApiResponse(responseCode = "200", description = "The channel's subscribers")
    @ApiResponse(responseCode = "400", description = "invalid_channel", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Dto.Problem.class)))
    public Dto.PresenceList presence(@PathParam("channel") String channel, @Context SecurityContext security) {
        ChannelName name = Params.channel(channel);
        access.read(security, name);
        List<Dto.Member> members = node.presence(name).stream().map(e -> new Dto.Member(e.session(), e.user())).toList();
        return new Dto.PresenceList(name.value(), members);
    }

    private static Dto.Message message(ChannelMessage m) {
        return new Dto.Message(m.offset(), m.data().value(), m.time());
    }
}
