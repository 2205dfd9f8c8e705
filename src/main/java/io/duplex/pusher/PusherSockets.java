package io.duplex.pusher;

import io.duplex.config.PusherApp;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Pusher sockets open on this node, by socket id, and each app's count against its connection quota. The door
 * adds and removes them; the HTTP API reads them (terminate_connections).
 */
@ApplicationScoped
public class PusherSockets {
    private final Map<String, PusherSocket> sockets = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perApp = new ConcurrentHashMap<>();

    /** Takes one of the app's connections; false when the app is at its quota (the socket must be refused, 4004). */
    boolean reserve(PusherApp app) {
        AtomicInteger count = perApp.computeIfAbsent(app.id(), id -> new AtomicInteger());
        if (app.maxConnections() <= 0) {
            count.incrementAndGet();
            return true;
        }
        while (true) {
            int now = count.get();
            if (now >= app.maxConnections()) {
                return false;
            }
            if (count.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void release(PusherApp app) {
        perApp.get(app.id()).decrementAndGet();
    }

    void add(PusherSocket socket) {
        sockets.put(socket.id(), socket);
    }

    void remove(PusherSocket socket) {
        sockets.remove(socket.id(), socket);
    }

    /** The socket with this id on this node, or null. */
    public PusherSocket get(String socketId) {
        return sockets.get(socketId);
    }

    /** The app's sockets on this node signed in as the user ({@code pusher:signin}). */
    public List<PusherSocket> ofUser(String appId, String userId) {
        return sockets.values().stream().filter(s -> s.app().id().equals(appId) && userId.equals(s.user())).toList();
    }

    public Collection<PusherSocket> all() {
        return sockets.values();
    }
}
