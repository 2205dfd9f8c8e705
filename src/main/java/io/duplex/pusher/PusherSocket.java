package io.duplex.pusher;

import io.duplex.config.PusherApp;
import io.duplex.core.ClientSession;
import io.duplex.security.TokenBucket;
import jakarta.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Pusher connection: its app, its socket id, the Duplex session under it, the user it signed in as, the members it
 * is on its presence channels, and its budget of client events.
 */
public final class PusherSocket {
    private final PusherApp app;
    private final String id;
    private final ClientSession session;
    private final TokenBucket clientEvents;
    /** Presence channel name → this socket's member there: its user_id. */
    private final Map<String, String> memberships = new ConcurrentHashMap<>(1);
    /** Presence channel name → the subscription_succeeded data the door read for it, until the framing takes it. */
    private final Map<String, JsonObject> subscribedData = new ConcurrentHashMap<>(1);
    private volatile String user;

    PusherSocket(PusherApp app, String id, ClientSession session, int clientEventRate) {
        this.app = app;
        this.id = id;
        this.session = session;
        this.clientEvents = new TokenBucket(clientEventRate, System.nanoTime());
    }

    public PusherApp app() {
        return app;
    }

    /** The socket id, {@code 123.456}: what Pusher's authorisations are signed for. */
    public String id() {
        return id;
    }

    public ClientSession session() {
        return session;
    }

    /** The user of a {@code pusher:signin}, or null. */
    public String user() {
        return user;
    }

    void signedIn(String user) {
        this.user = user;
    }

    /** Counts one client event against {@code pusher.client.events.rate}; false when over it. */
    boolean tryClientEvent() {
        return clientEvents.tryTake(System.nanoTime());
    }

    void subscribing(String channel, JsonObject data) {
        subscribedData.put(channel, data);
    }

    /** The presence data of the subscription_succeeded of the channel (once), or null for a channel without. */
    JsonObject takeSubscribedData(String channel) {
        return subscribedData.remove(channel);
    }

    Map<String, String> memberships() {
        return memberships;
    }

    @Override
    public String toString() {
        return "pusher socket " + id + " of " + app;
    }
}
