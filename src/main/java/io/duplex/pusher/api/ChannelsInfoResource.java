package io.duplex.pusher.api;

import io.duplex.broker.PresenceEntry;
import io.duplex.config.PusherApp;
import io.duplex.pusher.Occupancy;
import io.duplex.pusher.PusherChannel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Set;

/**
 * Querying channels: {@code GET /apps/{app_id}/channels} (the occupied ones, {@code filter_by_prefix},
 * {@code info=user_count} for presence channels), {@code /channels/{name}} ({@code occupied}, {@code info=user_count,
 * subscription_count}) and {@code /channels/{name}/users} (a presence channel's user ids). Counted on every node.
 */
@ApplicationScoped
@Path("/{app_id}/channels")
@Produces(MediaType.APPLICATION_JSON)
public class ChannelsInfoResource {
    private final SignedRequests signed;
    private final Occupancy occupancy;

    protected ChannelsInfoResource() {
        // for CDI's client proxy
        this(null, null);
    }

    @Inject
    public ChannelsInfoResource(SignedRequests signed, Occupancy occupancy) {
        this.signed = signed;
        this.occupancy = occupancy;
    }

    @GET
    public String channels(@PathParam("app_id") String appId, @QueryParam("filter_by_prefix") String prefix,
            @QueryParam("info") String info, @Context UriInfo uri) {
        PusherApp app = signed.app(appId, "GET", uri, null);
        Set<String> wanted = info(info, Set.of("user_count"));
        String start = prefix == null ? "" : prefix;
        if (wanted.contains("user_count") && !start.startsWith("presence-")) {
            throw EventsResource.bad("info=user_count needs filter_by_prefix=presence-");
        }
        JsonObjectBuilder channels = Json.createObjectBuilder();
        for (PusherChannel channel : occupancy.occupied(app.id(), start)) {
            JsonObjectBuilder attributes = Json.createObjectBuilder();
            if (wanted.contains("user_count")) {
                attributes.add("user_count", Occupancy.members(occupancy.entries(channel)).size());
            }
            channels.add(channel.name(), attributes);
        }
        return Json.createObjectBuilder().add("channels", channels).build().toString();
    }

    @GET
    @Path("{channel_name}")
    public String channel(@PathParam("app_id") String appId, @PathParam("channel_name") String name,
            @QueryParam("info") String info, @Context UriInfo uri) {
        PusherApp app = signed.app(appId, "GET", uri, null);
        PusherChannel channel = channel(app, name);
        Set<String> wanted = info(info, Set.of("user_count", "subscription_count"));
        if (wanted.contains("user_count") && channel.kind() != PusherChannel.Kind.PRESENCE) {
            throw EventsResource.bad("info=user_count is only for presence channels");
        }
        List<PresenceEntry> entries = occupancy.entries(channel);
        JsonObjectBuilder result = Json.createObjectBuilder().add("occupied", !entries.isEmpty());
        if (wanted.contains("user_count")) {
            result.add("user_count", Occupancy.members(entries).size());
        }
        if (wanted.contains("subscription_count")) {
            result.add("subscription_count", entries.size());
        }
        return result.build().toString();
    }

    @GET
    @Path("{channel_name}/users")
    public String users(@PathParam("app_id") String appId, @PathParam("channel_name") String name, @Context UriInfo uri) {
        PusherApp app = signed.app(appId, "GET", uri, null);
        PusherChannel channel = channel(app, name);
        if (channel.kind() != PusherChannel.Kind.PRESENCE) {
            throw EventsResource.bad("users are only listed for presence channels");
        }
        JsonArrayBuilder users = Json.createArrayBuilder();
        for (String user : Occupancy.members(occupancy.entries(channel)).keySet()) {
            users.add(Json.createObjectBuilder().add("id", user));
        }
        return Json.createObjectBuilder().add("users", users).build().toString();
    }

    private static PusherChannel channel(PusherApp app, String name) {
        return PusherChannel.of(app.id(), name).orElseThrow(() -> EventsResource.bad("invalid channel name"));
    }

    private static Set<String> info(String info, Set<String> allowed) {
        if (info == null || info.isBlank()) {
            return Set.of();
        }
        Set<String> wanted = Set.of(info.split(","));
        if (!allowed.containsAll(wanted)) {
            throw EventsResource.bad("info may hold " + String.join(", ", allowed));
        }
        return wanted;
    }
}
