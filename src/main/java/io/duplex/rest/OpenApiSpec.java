package io.duplex.rest;

import io.duplex.error.ErrorCode;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OpenAPI 3.0 document of the REST API: read by Swagger from the resource classes and their annotations, then
 * completed with what annotations cannot say well (the shared error responses and parameters, {@code data} as any JSON
 * value, which fields are always present). {@code /api/openapi.json} serves it, and the build writes it with
 * {@link #main} to generate and test the clients (docs/architecture.md): the two are one code path, and
 * {@code OpenApiIT} checks that they are equal.
 */
public final class OpenApiSpec {
    static final String BEARER = "bearer";
    static final String BAD_REQUEST = "#/components/responses/BadRequest";
    static final String UNAUTHORIZED = "#/components/responses/Unauthorized";
    static final String FORBIDDEN = "#/components/responses/Forbidden";
    static final String NOT_FOUND = "#/components/responses/NotFound";
    static final String TOO_LARGE = "#/components/responses/TooLarge";
    static final String UNSUPPORTED_MEDIA_TYPE = "#/components/responses/UnsupportedMediaType";
    static final String KEY_REUSED = "#/components/responses/IdempotencyKeyReused";
    static final String ENGINE_UNAVAILABLE = "#/components/responses/EngineUnavailable";
    static final String LIMIT_EXCEEDED = "#/components/responses/LimitExceeded";
    static final String CHANNEL = "#/components/parameters/channel";
    static final String SESSION = "#/components/parameters/session";
    static final String IDEMPOTENCY_KEY_PARAMETER = "#/components/parameters/idempotencyKey";

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String ANY_JSON = "Any JSON value but null (object, array, string, number or boolean).";

    private static volatile OpenAPI document;

    private OpenApiSpec() {
    }

    /** Writes the document as JSON to the file named by the first argument (the build's target/openapi/openapi.json). */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, json(), StandardCharsets.UTF_8);
    }

    /** The document as JSON, as served at {@code /api/openapi.json}. */
    static String json() {
        return Json.pretty(document());
    }

    /** The document as YAML, as served at {@code /api/openapi.yaml}. */
    static String yaml() {
        try {
            return Yaml.pretty().writeValueAsString(document());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OpenAPI document() {
        OpenAPI built = document;
        if (built == null) {
            synchronized (OpenApiSpec.class) {
                built = document;
                if (built == null) {
                    built = build();
                    document = built;
                }
            }
        }
        return built;
    }

    /** Reads the resources and completes the document. */
    static OpenAPI build() {
        Reader reader = new Reader(new SwaggerConfiguration().openAPI(base()));
        reader.setApplication(new DuplexApi());
        OpenAPI api = reader.read(new LinkedHashSet<>(DuplexApi.RESOURCES));
        ModelConverters.getInstance().read(Dto.Problem.class).forEach(api.getComponents()::addSchemas);
        complete(api.getComponents().getSchemas());
        EventStreamsSpec.add(api);
        // One order whatever order reflection listed the methods in: the document is the same on every build.
        Paths sorted = new Paths();
        new TreeMap<>(api.getPaths()).forEach(sorted::addPathItem);
        api.setPaths(sorted);
        api.getComponents().setSchemas(new TreeMap<>(api.getComponents().getSchemas()));
        return api;
    }

    private static OpenAPI base() {
        Components components = new Components()
                .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("An API key (api.key), or a token (JWT) whose claims allow the call: admin for sessions "
                                + "and the channel list, subscribe for reads, publish for publishing. Health and this "
                                + "document need none."))
                .addParameters("channel", new Parameter().in("path").name("channel").required(true)
                        .description("A channel name: 1-255 characters of A-Z a-z 0-9 _ - . : @ # (# percent-encoded in a URL).")
                        .schema(new StringSchema().minLength(1).maxLength(255).pattern("^[A-Za-z0-9_.:@#-]+$")))
                .addParameters("session", new Parameter().in("path").name("id").required(true)
                        .description("A session id, as the connected reply and GET /api/sessions give it.")
                        .schema(new StringSchema()))
                .addParameters("idempotencyKey", new Parameter().in("header").name(ChannelsResource.IDEMPOTENCY_KEY)
                        .required(false).description("Your key for this message (a UUID, say): a publish repeated with it "
                                + "within publish.idempotency.window is answered as the first was and is not delivered again; "
                                + "reused for a different message it is refused with 422. 1-255 printable ASCII characters; "
                                + "a value in double quotes (the draft standard's form) is read without them.")
                        .schema(new StringSchema().minLength(1).maxLength(257)))
                .addResponses("BadRequest", problem("bad_request or invalid_channel: the request, a parameter or the body "
                        + "is not what the API asks for"))
                .addResponses("Unauthorized", problem("unauthorized: no credentials, or an API key or token that is not valid")
                        .addHeaderObject("WWW-Authenticate", new Header().description("Bearer realm=\"duplex\"")
                                .schema(new StringSchema())))
                .addResponses("Forbidden", problem("permission_denied: the credentials do not allow this call"))
                .addResponses("NotFound", problem("not_found: no such session, message or path"))
                .addResponses("TooLarge", problem("too_large: data over message.max.bytes, a body over frame.max.bytes, "
                        + "or a batch over batch.max.messages or batch.max.bytes"))
                .addResponses("UnsupportedMediaType", problem("bad_request: the body is not application/json in UTF-8"))
                .addResponses("IdempotencyKeyReused", problem("idempotency_key_reused: the Idempotency-Key was used within "
                        + "publish.idempotency.window for a different message; nothing was published"))
                .addResponses("LimitExceeded", problem("limit_exceeded: over a limit of the node (connections.per.user, "
                        + "subscriptions.max)"))
                .addResponses("EngineUnavailable", problem("engine_unavailable: the engine (Redis) cannot take the request "
                        + "now; nothing was accepted, unless the message says a publish timed out"));
        return new OpenAPI()
                .info(new Info().title("Duplex").version("1")
                        .description("The REST door of Duplex: publish, history, channels, presence, sessions and health. "
                                + "Live delivery is over WebSocket at /ws (see docs/protocol.md) or as Server-Sent Events from "
                                + "the event streams below (docs/protocols.md). Errors are "
                                + "application/problem+json (RFC 9457) with a stable `code`.")
                        .license(new License().name("Apache-2.0")))
                // Relative to this document (…/api/openapi.json): the application's root, under any context path and
                // behind any proxy. A generated client is given the root, e.g. http://host:8080.
                .servers(List.of(new Server().url("..").description("the application's root, relative to this document")))
                .components(components);
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType(PROBLEM_JSON,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))));
    }

    /**
     * What the annotations leave out: {@code data} is any JSON value (an empty schema; Swagger would say object), every
     * field of every document is always present (null is written as null), and a problem's {@code code} is one of the
     * contract's.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void complete(Map<String, Schema> schemas) {
        for (String name : List.of("DataBody", "Message", "BatchMessage")) {
            Schema<?> schema = schemas.get(name);
            schema.getProperties().put("data", new Schema<>().description(ANY_JSON));
        }
        schemas.remove("JsonValue");
        for (Schema schema : schemas.values()) {
            if (schema.getProperties() != null) {
                schema.setRequired(new ArrayList<>(schema.getProperties().keySet()));
            }
        }
        schemas.get("BatchMessage").getRequired().remove("idempotencyKey");
        Schema<String> code = (Schema<String>) schemas.get("Problem").getProperties().get("code");
        code.setEnum(Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList());
        code.setDescription("The stable error code (docs/protocol.md); new codes may be added in a later version.");
    }
}
