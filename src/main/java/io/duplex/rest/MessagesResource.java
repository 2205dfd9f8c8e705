package io.duplex.rest;

import io.duplex.broker.PublishRequest;
import io.duplex.broker.PublishResult;
import io.duplex.channel.ChannelName;
import io.duplex.config.DuplexConfig;
import io.duplex.core.Node;
import io.duplex.error.DuplexException;
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
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Batch publish, {@code POST /api/messages}: many messages, to one or several channels, in one request, for backends
 * that emit bursts. The batch is read and checked whole first (any mistake refuses all of it); then its messages are
 * published in order, in one step of the engine (one script on Redis), and each gets its result. What is published is
 * always a prefix of the batch: a message whose idempotency key was used for another message fails, and those after it
 * are skipped, so a channel's messages never land out of the order the caller gave, even across a retry.
 */
@ApiResponse(responseCode = "401", ref = OpenApiSpec.UNAUTHORIZED)
@ApiResponse(responseCode = "403", ref = OpenApiSpec.FORBIDDEN)
@SecurityRequirement(name = OpenApiSpec.BEARER)
@ApplicationScoped
@Path("/messages")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "messages", description = "Batch publish: many messages, to one or several channels, in one request")
public class MessagesResource {
    private final Node node;
    private final DuplexConfig config;
    private final Access access;

    protected MessagesResource() {
        // for CDI's client proxy
        this(null, null, null);
    }

    @Inject
    public MessagesResource(Node node, DuplexConfig config, Access access) {
        this.node = node;
        this.config = config;
        this.access = access;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "publishBatch", summary = "Publish a batch", description = "Publishes the messages in order "
            + "(per channel, offsets rise in the order given). The batch is checked whole before anything is published: a "
            + "bad message, a channel the caller may not publish to, or a batch over batch.max.messages / batch.max.bytes "
            + "refuses all of it. Then each message gets a result: `published`, `duplicate` (its idempotencyKey was used "
            + "for the same message within the window), or `failed` (idempotency_key_reused), after which the rest are "
            + "`skipped`: what is published is always a prefix of the batch.")
    @ApiResponse(responseCode = "200", description = "One result per message, in order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Dto.BatchResult.class)))
    @ApiResponse(responseCode = "400", ref = OpenApiSpec.BAD_REQUEST)
    @ApiResponse(responseCode = "413", ref = OpenApiSpec.TOO_LARGE)
    @ApiResponse(responseCode = "415", ref = OpenApiSpec.UNSUPPORTED_MEDIA_TYPE)
    @ApiResponse(responseCode = "503", ref = OpenApiSpec.ENGINE_UNAVAILABLE)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Dto.BatchRequest.class)))
    public Dto.BatchResult publish(@Parameter(hidden = true) InputStream body, @Context HttpHeaders headers,
            @Context SecurityContext security) {
        List<PublishRequest> requests = BatchBody.requests(
                JsonBody.object(body, headers.getMediaType(), headers.getHeaderString(HttpHeaders.CONTENT_LENGTH),
                        config.batchMaxBytes(), "batch.max.bytes"),
                Access.publisher(security), config.batchMaxMessages(), config.messageMaxBytes());
        LinkedHashSet<ChannelName> channels = new LinkedHashSet<>();
        requests.forEach(r -> channels.add(r.channel()));
        channels.forEach(channel -> access.publish(security, channel));

        List<PublishResult> results = node.publishAll(requests);
        List<Dto.BatchItemResult> items = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            PublishRequest request = requests.get(i);
            items.add(i < results.size() ? item(request, results.get(i)) : new Dto.BatchItemResult(request.channel().value(),
                    "skipped", null, null, null, null));
        }
        return new Dto.BatchResult(items);
    }

    private Dto.BatchItemResult item(PublishRequest request, PublishResult result) {
        String channel = request.channel().value();
        if (result.outcome() == PublishResult.Outcome.KEY_REUSED) {
            DuplexException e = node.keyReused(request);
            return new Dto.BatchItemResult(channel, "failed", null, null, e.code().code(), e.getMessage());
        }
        String status = result.outcome() == PublishResult.Outcome.DUPLICATE ? "duplicate" : "published";
        return new Dto.BatchItemResult(channel, status, result.message().epoch(), result.message().offset(), null, null);
    }
}
