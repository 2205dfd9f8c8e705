package io.duplex.pusher.api;

import io.duplex.broker.PresenceEntry;
import io.duplex.broker.PublishRequest;
import io.duplex.channel.Publisher;
import io.duplex.config.PusherApp;
import io.duplex.core.Node;
import io.duplex.pusher.Occupancy;
import io.duplex.pusher.PusherChannel;
import io.duplex.pusher.PusherDoor;
import io.duplex.pusher.PusherEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Triggering events: {@code POST /apps/{app_id}/events} (one event to up to 100 channels) and {@code /batch_events} (up
 * to 10 events). Each event is published to the mapped Duplex channels, so it is in their history and reaches every
 * door's subscribers; a {@code socket_id} keeps it from that socket. {@code info} asks for the channels' counts after it.
 */
@ApplicationScoped
@Path("/{app_id}")
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {
    /** Pusher's limits on one request. */
    static final int MAX_CHANNELS = 100;
    static final int MAX_BATCH = 10;
    static final int MAX_NAME = 200;
    private static final Pattern SOCKET_ID = Pattern.compile("\\d{1,19}\\.\\d{1,19}");
    private static final Set<String> INFO = Set.of("subscription_count", "user_count");

    private final Node node;
    private final SignedRequests signed;
    private final Occupancy occupancy;

    protected EventsResource() {
        // for CDI's client proxy
        this(null, null, null);
    }

    @Inject
    public EventsResource(Node node, SignedRequests signed, Occupancy occupancy) {
        this.node = node;
        this.signed = signed;
        this.occupancy = occupancy;
    }

    @POST
    @Path("events")
    public String trigger(@PathParam("app_id") String appId, @Context UriInfo uri, InputStream in) {
        byte[] body = signed.body(in);
        PusherApp app = signed.app(appId, "POST", uri, body);
        JsonObject event = object(body);
        List<String> names = new ArrayList<>();
        if (event.get("channels") instanceof JsonArray array) {
            for (JsonValue v : array) {
                if (!(v instanceof JsonString s)) {
                    throw bad("channels must be strings");
                }
                names.add(s.getString());
            }
        } else if (event.get("channel") instanceof JsonString s) {
            names.add(s.getString());
        }
        if (names.isEmpty() || names.size() > MAX_CHANNELS) {
            throw bad("an event needs channels (1 to " + MAX_CHANNELS + ") or channel");
        }
        List<PusherChannel> channels = names.stream().map(n -> channel(app, n)).toList();
        PusherEvent pusherEvent = event(event);
        Publisher publisher = Publisher.of(PusherDoor.DOOR, null);
        node.publishAll(channels.stream().map(c -> PublishRequest.of(c.duplex(), pusherEvent.toDuplex(), publisher)).toList());
        Set<String> info = info(event, channels);
        if (info.isEmpty()) {
            return "{}";
        }
        JsonObjectBuilder result = Json.createObjectBuilder();
        for (PusherChannel channel : channels) {
            result.add(channel.name(), counts(channel, info));
        }
        return Json.createObjectBuilder().add("channels", result).build().toString();
    }

    @POST
    @Path("batch_events")
    public String batch(@PathParam("app_id") String appId, @Context UriInfo uri, InputStream in) {
        byte[] body = signed.body(in);
        PusherApp app = signed.app(appId, "POST", uri, body);
        if (!(object(body).get("batch") instanceof JsonArray batch) || batch.isEmpty() || batch.size() > MAX_BATCH) {
            throw bad("a batch needs 1 to " + MAX_BATCH + " events in batch");
        }
        List<PublishRequest> requests = new ArrayList<>();
        List<PusherChannel> channels = new ArrayList<>();
        List<Set<String>> infos = new ArrayList<>();
        Publisher publisher = Publisher.of(PusherDoor.DOOR, null);
        for (JsonValue item : batch) {
            if (!(item instanceof JsonObject event) || !(event.get("channel") instanceof JsonString name)) {
                throw bad("each event of a batch is an object with a channel");
            }
            PusherChannel channel = channel(app, name.getString());
            channels.add(channel);
            infos.add(info(event, List.of(channel)));
            requests.add(PublishRequest.of(channel.duplex(), event(event).toDuplex(), publisher));
        }
        node.publishAll(requests);
        if (infos.stream().allMatch(Set::isEmpty)) {
            return "{}";
        }
        var result = Json.createArrayBuilder();
        for (int i = 0; i < channels.size(); i++) {
            result.add(counts(channels.get(i), infos.get(i)));
        }
        return Json.createObjectBuilder().add("batch", result).build().toString();
    }

    private JsonObject counts(PusherChannel channel, Set<String> info) {
        List<PresenceEntry> entries = occupancy.entries(channel);
        JsonObjectBuilder counts = Json.createObjectBuilder();
        if (info.contains("subscription_count")) {
            counts.add("subscription_count", entries.size());
        }
        if (info.contains("user_count")) {
            counts.add("user_count", Occupancy.members(entries).size());
        }
        return counts.build();
    }

    /** The event's name, data and excluded socket. */
    private static PusherEvent event(JsonObject event) {
        if (!(event.get("name") instanceof JsonString name) || name.getString().isEmpty() || name.getString().length() > MAX_NAME) {
            throw bad("an event needs a name of 1 to " + MAX_NAME + " characters");
        }
        JsonValue data = event.get("data");
        String text = data == null ? "" : data instanceof JsonString s ? s.getString() : data.toString();
        String socketId = null;
        if (event.containsKey("socket_id")) {
            if (!(event.get("socket_id") instanceof JsonString s) || !SOCKET_ID.matcher(s.getString()).matches()) {
                throw bad("socket_id must look like 123.456");
            }
            socketId = s.getString();
        }
        return new PusherEvent(name.getString(), text, null, socketId);
    }

    /** The counts {@code info} asks for: user_count only of presence channels, as Pusher has it. */
    private static Set<String> info(JsonObject event, List<PusherChannel> channels) {
        if (!(event.get("info") instanceof JsonString text) || text.getString().isBlank()) {
            return Set.of();
        }
        Set<String> info = Set.of(text.getString().split(","));
        if (!INFO.containsAll(info)) {
            throw bad("info may hold subscription_count and user_count");
        }
        if (info.contains("user_count") && channels.stream().anyMatch(c -> c.kind() != PusherChannel.Kind.PRESENCE)) {
            throw bad("user_count is only for presence channels");
        }
        return info;
    }

    private static PusherChannel channel(PusherApp app, String name) {
        return PusherChannel.of(app.id(), name).orElseThrow(() -> bad("invalid channel name"));
    }

    private static JsonObject object(byte[] body) {
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body))) {
            if (reader.readValue() instanceof JsonObject object) {
                return object;
            }
        } catch (JsonException | IllegalStateException e) {
            // answered below
        }
        throw bad("the body must be a JSON object");
    }

    static RuntimeException bad(String message) {
        return SignedRequests.refuse(400, message);
    }
}
