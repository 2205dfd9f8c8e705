package io.duplex.pusher;

import io.duplex.config.DuplexConfig;
import io.duplex.config.PusherApp;
import io.duplex.core.ClientSession;
import io.duplex.core.Connection;
import io.duplex.core.Node;
import io.duplex.core.Scheduler;
import io.duplex.error.DisconnectReason;
import io.duplex.error.DuplexException;
import io.duplex.security.Identity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the Pusher WebSocket endpoint calls: a socket opened on {@code /app/{key}}, a frame arrived, the socket closed.
 * Admits the socket into its app (Pusher's close codes when it cannot be), decodes each frame once into a
 * {@link ClientMessage}, runs it on the {@link Node}, and answers every mistake with {@code pusher:error}: the
 * connection and the node carry on.
 */
@ApplicationScoped
public class PusherHandler {
    private static final Logger LOG = Logger.getLogger(PusherHandler.class.getName());
    /** Who a Pusher socket is to core: nobody in particular; the door checks its channels with the app's signatures. */
    private static final Identity PUSHER_CLIENT = new Identity(Identity.Source.UNCHECKED, null, null, List.of(), List.of(), false);
    /** The protocol versions whose frames are the ones this door speaks (pusher-js sends 7). */
    private static final List<String> PROTOCOLS = List.of("5", "6", "7");

    private final Node node;
    private final DuplexConfig config;
    private final PusherSockets sockets;
    private final Scheduler scheduler;
    private final PresenceMembers members;
    private final ClientEvents clientEvents;
    private final Map<String, PusherFraming> framings = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    protected PusherHandler() {
        // for CDI's client proxy
        this.node = null;
        this.config = null;
        this.sockets = null;
        this.scheduler = null;
        this.members = null;
        this.clientEvents = null;
    }

    @Inject
    public PusherHandler(Node node, DuplexConfig config, PusherSockets sockets, Occupancy occupancy, Scheduler scheduler) {
        this.node = node;
        this.config = config;
        this.sockets = sockets;
        this.scheduler = scheduler;
        this.members = new PresenceMembers(node, occupancy);
        this.clientEvents = new ClientEvents(node, config.pusher().clientEventMaxBytes());
    }

    /**
     * A WebSocket opened on {@code /app/{key}}: the socket, or null when it was closed with the Pusher code that says
     * why (4001 no such app, 4003 disabled, 4004 over its connection quota, 4007/4008 protocol version).
     */
    public PusherSocket opened(Connection transport, PusherConnection.Closer closer, String key, String protocol) {
        Optional<PusherApp> found = config.pusher().appByKey(key);
        if (found.isEmpty()) {
            return refuse(closer, 4001, "App key " + shorten(key) + " does not exist");
        }
        PusherApp app = found.get();
        if (!app.enabled()) {
            return refuse(closer, 4003, "App is disabled");
        }
        if (protocol == null) {
            return refuse(closer, 4008, "No protocol version supplied");
        }
        if (!PROTOCOLS.contains(protocol)) {
            return refuse(closer, 4007, "Unsupported protocol version");
        }
        if (!sockets.reserve(app)) {
            LOG.info(() -> "Pusher connection to " + app + " refused with 4004: over its quota of " + app.maxConnections());
            return refuse(closer, 4004, "App is over its connection quota");
        }
        PusherConnection connection = new PusherConnection(transport, closer,
                framings.computeIfAbsent(app.id(), id -> new PusherFraming(id, sockets)));
        ClientSession session = node.open(connection);
        if (!session.open()) {
            // The node is stopping: open() closed it already.
            sockets.release(app);
            return null;
        }
        node.connect(session, PUSHER_CLIENT);
        PusherSocket socket = new PusherSocket(app, newSocketId(), session, config.pusher().clientEventRate());
        connection.pingWith(() -> send(session, PusherFrames.ping()));
        sockets.add(socket);
        long activityTimeout = Math.max(1, config.heartbeatInterval().toSeconds());
        reply(socket, PusherFrames.connectionEstablished(socket.id(), activityTimeout));
        return socket;
    }

    private static PusherSocket refuse(PusherConnection.Closer closer, int code, String reason) {
        closer.close(code, reason);
        return null;
    }

    /** A text frame from the socket. */
    public void received(PusherSocket socket, String text) {
        ClientSession session = socket.session();
        session.received();
        if (!session.open()) {
            return;
        }
        try {
            ClientMessage message = ClientMessage.decode(text);
            if (message instanceof ClientMessage.Ping) {
                reply(socket, PusherFrames.pong());
            } else if (message instanceof ClientMessage.Subscribe subscribe) {
                subscribe(socket, subscribe);
            } else if (message instanceof ClientMessage.Unsubscribe unsubscribe) {
                unsubscribe(socket, unsubscribe);
            } else if (message instanceof ClientMessage.ClientEvent event) {
                clientEvents.send(socket, event);
            } else if (message instanceof ClientMessage.Signin signin) {
                signin(socket, signin);
            }
            // A pong only shows the client is alive: received() above noted it.
        } catch (PusherError e) {
            reply(socket, PusherFrames.error(e));
        } catch (DuplexException e) {
            // The node's refusals (a limit, the engine unavailable) in Pusher's words: an error without a code.
            reply(socket, PusherFrames.error(new PusherError(null, e.getMessage())));
        } catch (RuntimeException e) {
            // Not the client's fault: a bug or a broken engine. Worth a stack trace, once, here.
            LOG.log(Level.WARNING, "internal error on a frame of " + socket, e);
            reply(socket, PusherFrames.error(new PusherError(null, "Internal error; the server logged it")));
        }
    }

    /** A binary frame: not part of the protocol. */
    public void receivedBinary(PusherSocket socket) {
        socket.session().received();
        reply(socket, PusherFrames.error(new PusherError(null, "Binary frames are not supported")));
    }

    /** A WebSocket pong (or any control frame): the client is alive. */
    public void receivedPong(PusherSocket socket) {
        socket.session().received();
    }

    /** The WebSocket closed (by the client, the network, or after our own close). */
    public void closed(PusherSocket socket, int code) {
        node.closed(socket.session(), code);
        sockets.remove(socket);
        sockets.release(socket.app());
        Map<String, String> left = Map.copyOf(socket.memberships());
        socket.memberships().clear();
        if (!left.isEmpty()) {
            // Reading presence and publishing may wait on the engine: not on the container's thread.
            blocking(() -> left.forEach((name, user) -> leave(socket, name, user)));
        }
    }

    /**
     * A handshake the guard refused (origin, plain ws:// in production, handshake rate): closed with the Pusher code
     * for the reason (4009, 4000, 4100) before any frame is read, and counted.
     */
    public void refused(DisconnectReason reason, PusherConnection.Closer closer) {
        closer.close(PusherConnection.code(reason), reason.reason());
        node.handshakeRefused(reason);
    }

    private void subscribe(PusherSocket socket, ClientMessage.Subscribe subscribe) {
        PusherChannel channel = PusherChannel.of(socket.app().id(), subscribe.channel())
                .orElseThrow(() -> new PusherError(null, "Invalid channel name: " + shorten(subscribe.channel())));
        PusherChannel.Kind kind = channel.kind();
        String signed = kind == PusherChannel.Kind.PRESENCE ? subscribe.channelData() : null;
        if (kind.authorised() && !ChannelAuth.valid(socket.app(), subscribe.auth(), socket.id(), channel.name(), signed)) {
            throw new PusherError(null, "Invalid signature: Expected HMAC SHA256 hex digest of " + socket.id() + ":"
                    + channel.name() + (signed == null ? "" : ":" + "channel_data") + ", but got " + shorten(String.valueOf(subscribe.auth())));
        }
        if (kind == PusherChannel.Kind.USER
                && !channel.name().substring(PusherChannel.USER_PREFIX.length()).equals(socket.user())) {
            throw new PusherError(null, "Subscription to " + shorten(channel.name()) + " refused: sign in as that user first");
        }
        if (kind != PusherChannel.Kind.PRESENCE) {
            node.subscribe(socket.session(), 0, channel.duplex(), null, socket.id());
            return;
        }
        PresenceMembers.Member member = PresenceMembers.member(subscribe.channelData());
        PresenceMembers.Joining joining = members.joining(channel, member);
        socket.subscribing(channel.name(), joining.subscribedData());
        try {
            node.subscribe(socket.session(), 0, channel.duplex(), null, socket.id(), member.userId(), member.userInfo());
        } finally {
            socket.takeSubscribedData(channel.name());
        }
        socket.memberships().put(channel.name(), member.userId());
        if (!socket.session().open()) {
            // Closed while joining: closed() may have read the memberships before this one, and would send no
            // member_removed for it; so nobody is told it joined either.
            socket.memberships().remove(channel.name());
            return;
        }
        if (!joining.alreadyMember()) {
            members.added(channel, member, socket.id());
        }
    }

    private void unsubscribe(PusherSocket socket, ClientMessage.Unsubscribe unsubscribe) {
        Optional<PusherChannel> channel = PusherChannel.of(socket.app().id(), unsubscribe.channel());
        if (channel.isEmpty() || !socket.session().channels().contains(channel.get().duplex())) {
            // Pusher ignores an unsubscribe from a channel the socket is not on.
            return;
        }
        node.unsubscribe(socket.session(), 0, channel.get().duplex());
        String user = socket.memberships().remove(channel.get().name());
        if (user != null) {
            members.left(channel.get(), user, socket.id());
        }
    }

    private void signin(PusherSocket socket, ClientMessage.Signin signin) {
        if (!ChannelAuth.validSignin(socket.app(), signin.auth(), socket.id(), signin.userData())) {
            throw new PusherError(4009, "Invalid signature for pusher:signin");
        }
        socket.signedIn(PresenceMembers.userId(signin.userData()));
        reply(socket, PusherFrames.signinSuccess(signin.userData()));
    }

    private void leave(PusherSocket socket, String name, String user) {
        try {
            PusherChannel.of(socket.app().id(), name).ifPresent(channel -> members.left(channel, user, socket.id()));
        } catch (DuplexException e) {
            // The engine is away: the member's entry is gone with the session; its member_removed is lost, as on a node
            // that dies. The others see it gone at their next subscription_succeeded.
            LOG.log(Level.FINE, () -> "member_removed of " + name + " not sent: " + e.getMessage());
        }
    }

    private void reply(PusherSocket socket, String frame) {
        send(socket.session(), frame);
    }

    /** A frame of the door's own (an answer, an error, a keep-alive), in order with what the session has queued. */
    private static void send(ClientSession session, String frame) {
        if (session.open()) {
            session.reply(PusherFraming.frame(frame));
        }
    }

    private void blocking(Runnable task) {
        try {
            scheduler.blocking().execute(task);
        } catch (RejectedExecutionException e) {
            // The node is stopping.
        }
    }

    private String newSocketId() {
        // Pusher's form, digits.digits; unguessable, since channel authorisations are signed for it.
        return Long.toString(random.nextLong() & Long.MAX_VALUE) + "." + Long.toString(random.nextLong() & Long.MAX_VALUE);
    }

    static String shorten(String text) {
        return text == null ? "null" : text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }
}
