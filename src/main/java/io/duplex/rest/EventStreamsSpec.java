package io.duplex.rest;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.List;

/**
 * The event streams in the OpenAPI document. They are served by a servlet filter ({@code io.duplex.transport.sse}), not
 * by a JAX-RS resource, so Swagger's reader cannot see them: they are described here, for people and for generated
 * clients (which get a method answering the stream as text; EventSource or an SSE client is the way to read it live).
 */
final class EventStreamsSpec {
    private static final String EVENT_STREAM = "text/event-stream";
    private static final String EVENTS = "The stream, `text/event-stream`: first `retry:` advice and a comment naming the "
            + "session, then per channel a `subscribed` event (or `reset`, when the place asked for cannot be recovered: "
            + "reload the channel's history), the missed messages, then each new message as `event: message` whose `data` "
            + "is `{\"channel\",\"offset\",\"data\",\"time\"}` and whose `id` is its place (`EPOCH:OFFSET`; on /api/events "
            + "every channel's, `CHANNEL=EPOCH:OFFSET,…`). `direct` events carry messages sent to the session, `refresh` "
            + "says the token is about to expire, a comment is sent after sse.heartbeat.interval without events, and a "
            + "`close` event `{\"code\",\"reason\"}` ends a stream the server ends. The session is listed in /api/sessions "
            + "(door `sse`). See docs/protocols.md.";

    private EventStreamsSpec() {
    }

    static void add(OpenAPI api) {
        api.addTagsItem(new Tag().name("events").description("Live messages as Server-Sent Events"));
        api.path("/api/channels/{channel}/events", new PathItem().get(operation("streamChannel",
                "Stream a channel (Server-Sent Events)",
                "The channel's messages as they are published, resumed after `Last-Event-ID` (or `since`) with nothing "
                        + "missed and nothing twice, under the same rules as a WebSocket subscribe.")
                .addParametersItem(new Parameter().$ref(OpenApiSpec.CHANNEL))
                .addParametersItem(since("EPOCH:OFFSET, the id of the last event received: the stream starts after it.",
                        "^[A-Za-z0-9_-]+:[0-9]+$"))
                .addParametersItem(lastEventId())
                .addParametersItem(token())));
        api.path("/api/events", new PathItem().get(operation("streamChannels",
                "Stream several channels (Server-Sent Events)",
                "The messages of every channel named, as they are published; each event's id carries every channel's "
                        + "place, so one Last-Event-ID resumes them all.")
                .addParametersItem(new Parameter().in("query").name("channel").required(true)
                        .description("A channel to stream; repeat the parameter for each (at most subscriptions.max).")
                        .explode(true).style(Parameter.StyleEnum.FORM)
                        .schema(new ArraySchema().minItems(1).items(new StringSchema().minLength(1).maxLength(255)
                                .pattern("^[A-Za-z0-9_.:@#-]+$"))))
                .addParametersItem(since("CHANNEL=EPOCH:OFFSET,…, the id of the last event received.", null))
                .addParametersItem(lastEventId())
                .addParametersItem(token())));
    }

    private static Operation operation(String id, String summary, String description) {
        ApiResponses responses = new ApiResponses()
                .addApiResponse("200", new ApiResponse().description(EVENTS)
                        .content(new Content().addMediaType(EVENT_STREAM, new MediaType().schema(new StringSchema()))))
                .addApiResponse("400", new ApiResponse().$ref(OpenApiSpec.BAD_REQUEST))
                .addApiResponse("401", new ApiResponse().$ref(OpenApiSpec.UNAUTHORIZED))
                .addApiResponse("403", new ApiResponse().$ref(OpenApiSpec.FORBIDDEN))
                .addApiResponse("429", new ApiResponse().$ref(OpenApiSpec.LIMIT_EXCEEDED))
                .addApiResponse("503", new ApiResponse().$ref(OpenApiSpec.ENGINE_UNAVAILABLE));
        return new Operation().operationId(id).summary(summary).description(description).addTagsItem("events")
                .responses(responses).security(List.of(new SecurityRequirement().addList(OpenApiSpec.BEARER)));
    }

    private static Parameter since(String description, String pattern) {
        StringSchema schema = new StringSchema();
        if (pattern != null) {
            schema.pattern(pattern);
        }
        return new Parameter().in("query").name("since").required(false)
                .description("Where to resume: " + description + " Last-Event-ID wins when both are sent.").schema(schema);
    }

    private static Parameter lastEventId() {
        return new Parameter().in("header").name("Last-Event-ID").required(false)
                .description("What EventSource sends when it reconnects: the id of the last event it received.")
                .schema(new StringSchema());
    }

    private static Parameter token() {
        return new Parameter().in("query").name("token").required(false)
                .description("A token (JWT), for EventSource, which cannot send an Authorization header. URLs end up in "
                        + "proxy and server logs and browser history: prefer the header, and give a page short-lived "
                        + "tokens. An API key is refused here.")
                .schema(new StringSchema());
    }
}
