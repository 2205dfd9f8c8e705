package io.duplex.testing;

import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** The REST API through the standard JAX-RS client, as an enterprise backend calls it. */
public final class Rest implements AutoCloseable {
    private final Client client = ClientBuilder.newClient();
    private final WebTarget api;

    public Rest(URI api) {
        this.api = client.target(api);
    }

    /** A client that sends {@code Authorization: Bearer credential} (an API key or a token) with every request. */
    public Rest(URI api, String credential) {
        client.register((jakarta.ws.rs.client.ClientRequestFilter) request ->
                request.getHeaders().putSingle("Authorization", "Bearer " + credential));
        this.api = client.target(api);
    }

    /** A target for a path relative to /api/, which may carry a query: {@code channels/x/messages?since=3}. */
    public WebTarget target(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        WebTarget target = api.path(q < 0 ? pathAndQuery : pathAndQuery.substring(0, q));
        if (q >= 0) {
            for (String pair : pathAndQuery.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                target = target.queryParam(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return target;
    }

    public Response get(String path) {
        return target(path).request().get();
    }

    public Response post(String path, String json) {
        return target(path).request().post(Entity.entity(json, MediaType.APPLICATION_JSON));
    }

    public Response delete(String path) {
        return target(path).request().delete();
    }

    /** Publishes {@code {"data": dataJson}} and returns the 201's body; fails on any other status. */
    public JsonObject publish(String channel, String dataJson) {
        try (Response response = post("channels/" + channel + "/messages", "{\"data\":" + dataJson + "}")) {
            JsonObject body = body(response);
            if (response.getStatus() != 201) {
                throw new AssertionError("publish answered " + response.getStatus() + ": " + body);
            }
            return body;
        }
    }

    /** GETs and returns the JSON body of a 200; fails on any other status. */
    public JsonObject getJson(String path) {
        try (Response response = get(path)) {
            JsonObject body = body(response);
            if (response.getStatus() != 200) {
                throw new AssertionError("GET " + path + " answered " + response.getStatus() + ": " + body);
            }
            return body;
        }
    }

    /** The HTTP status of {@code GET /api/health}: 200 while the node can serve, 503 while its engine is away. */
    public int healthStatus() {
        try (Response response = get("health")) {
            return response.getStatus();
        }
    }

    public static JsonObject body(Response response) {
        return Frames.parse(response.readEntity(String.class));
    }

    @Override
    public void close() {
        client.close();
    }
}
