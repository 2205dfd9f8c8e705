package io.duplex.stomp.door;

import io.duplex.channel.ChannelName;
import io.duplex.core.ClientSession;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One STOMP client: its core session, its connection, the token its handshake carried, and its subscriptions by the
 * ids it gave them. What the endpoint hands back to {@link StompHandler} with every message.
 */
public final class StompSession {
    private final ClientSession session;
    private final StompConnection connection;
    private final String handshakeToken;
    /** Subscription id to channel; a channel has one subscription per session, as on every door. */
    private final Map<String, ChannelName> subscriptions = new ConcurrentHashMap<>(2);
    private volatile boolean disconnecting;

    StompSession(ClientSession session, StompConnection connection, String handshakeToken) {
        this.session = session;
        this.connection = connection;
        this.handshakeToken = handshakeToken;
    }

    ClientSession session() {
        return session;
    }

    StompConnection connection() {
        return connection;
    }

    String handshakeToken() {
        return handshakeToken;
    }

    Map<String, ChannelName> subscriptions() {
        return subscriptions;
    }

    /** Whether the client sent DISCONNECT: what it sends after is ignored. */
    boolean disconnecting() {
        return disconnecting;
    }

    void disconnect() {
        disconnecting = true;
    }

    @Override
    public String toString() {
        return session.toString();
    }
}
