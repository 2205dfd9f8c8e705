package io.duplex.stomp.door;

import io.duplex.app.Version;
import io.duplex.broker.PublishRequest;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Publisher;
import io.duplex.config.DuplexConfig;
import io.duplex.core.ClientSession;
import io.duplex.core.Connection;
import io.duplex.core.Node;
import io.duplex.core.OutboundFrame;
import io.duplex.core.Scheduler;
import io.duplex.error.DisconnectReason;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import io.duplex.security.ChannelAccess;
import io.duplex.stomp.Bodies;
import io.duplex.stomp.HeartBeat;
import io.duplex.stomp.StompCommand;
import io.duplex.stomp.StompDecoder;
import io.duplex.stomp.StompException;
import io.duplex.stomp.StompFrame;
import io.duplex.stomp.StompHeaders;
import io.duplex.stomp.StompLimits;
import io.duplex.stomp.StompVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The STOMP door, {@code /stomp}: what its endpoint calls when a connection opens, a message arrives, the connection
 * closes. Each frame is read once ({@link StompDecoder}) and carried out on the {@link Node} with the same permissions as
 * protocol v1 ({@link ChannelAccess}); a bad frame, or one the node refuses, is answered with an ERROR frame and the
 * connection is closed, as STOMP 1.2 says. Frames asking for a {@code receipt} get a RECEIPT once done.
 */
@ApplicationScoped
public class StompHandler {
    private static final Logger LOG = Logger.getLogger(StompHandler.class.getName());
    private static final OutboundFrame EOL = new OutboundFrame("\n", 1);

    private final Node node;
    private final ChannelAccess access;
    private final Scheduler scheduler;
    private final StompDecoder decoder;
    private final HeartBeat server;
    private final String serverName;

    protected StompHandler() {
        // for CDI's client proxy
        this.node = null;
        this.access = null;
        this.scheduler = null;
        this.decoder = null;
        this.server = null;
        this.serverName = null;
    }

    @Inject
    public StompHandler(Node node, ChannelAccess access, Scheduler scheduler, DuplexConfig config, Version version) {
        this.node = node;
        this.access = access;
        this.scheduler = scheduler;
        this.decoder = new StompDecoder(new StompLimits(config.stomp().headersMax(), config.stomp().headerMaxBytes(),
                config.frameMaxBytes()));
        long interval = config.heartbeatInterval().toMillis();
        this.server = new HeartBeat(interval, interval);
        this.serverName = "Duplex/" + version.value();
    }

    /** A WebSocket connection to {@code /stomp} opened; {@code handshakeToken} is its {@code token} parameter or bearer token. */
    public StompSession opened(Connection transport, String handshakeToken) {
        StompConnection connection = new StompConnection(transport, scheduler.executor());
        return new StompSession(node.open(connection), connection, handshakeToken);
    }

    /** The transport refused a handshake and closed it with {@code reason} before reading any frame. */
    public void refused(DisconnectReason reason) {
        node.handshakeRefused(reason);
    }

    /** A WebSocket message (text or binary) of the client: zero or more frames, or a heart-beat. */
    public void received(StompSession stomp, byte[] message) {
        ClientSession session = stomp.session();
        session.received();
        if (!session.open() || stomp.disconnecting()) {
            return;
        }
        List<StompFrame> frames;
        try {
            frames = decoder.decode(message, stomp.connection().version());
        } catch (StompException e) {
            fail(stomp, ErrorCode.BAD_REQUEST, e.getMessage(), e.receipt(), DisconnectReason.POLICY);
            return;
        }
        for (StompFrame frame : frames) {
            if (!session.open() || stomp.disconnecting()) {
                return;
            }
            handle(stomp, frame);
        }
    }

    /** A pong (to core's ping) shows the client is alive. */
    public void receivedPong(StompSession stomp) {
        stomp.session().received();
    }

    public void closed(StompSession stomp, int code) {
        stomp.connection().ended();
        node.closed(stomp.session(), code);
    }

    private void handle(StompSession stomp, StompFrame frame) {
        String receipt = frame.header("receipt");
        try {
            execute(stomp, frame, receipt);
            if (receipt != null && frame.command() != StompCommand.DISCONNECT && stomp.session().open()) {
                reply(stomp, StompFrame.of(StompCommand.RECEIPT, StompHeaders.of("receipt-id", receipt)));
            }
        } catch (StompException e) {
            fail(stomp, ErrorCode.BAD_REQUEST, e.getMessage(), receipt, DisconnectReason.POLICY);
        } catch (DuplexException e) {
            fail(stomp, e.code(), e.getMessage(), receipt, closeReason(stomp.session(), e.code()));
        } catch (RuntimeException e) {
            // Not the client's fault: a bug or a broken engine. Worth a stack trace, once, here.
            LOG.log(Level.WARNING, "internal error on a STOMP frame of " + stomp, e);
            fail(stomp, ErrorCode.INTERNAL, "internal error; the server logged it", receipt, DisconnectReason.POLICY);
        }
    }

    private void execute(StompSession stomp, StompFrame frame, String receipt) {
        ClientSession session = stomp.session();
        StompCommand command = frame.command();
        if (command == StompCommand.CONNECT || command == StompCommand.STOMP) {
            connect(stomp, frame);
            return;
        }
        if (!session.connected()) {
            throw new DuplexException(ErrorCode.NOT_CONNECTED, "send CONNECT first");
        }
        switch (command) {
            case SEND -> {
                if (session.tryPublish()) {
                    send(session, frame);
                } else {
                    // Over publish.rate: abuse, not a mistake. Not executed; closed with 4005.
                    fail(stomp, ErrorCode.LIMIT_EXCEEDED, "more than publish.rate SEND frames per second", receipt,
                            DisconnectReason.RATE_LIMIT);
                }
            }
            case SUBSCRIBE -> subscribe(stomp, frame);
            case UNSUBSCRIBE -> unsubscribe(stomp, frame);
            case DISCONNECT -> disconnect(stomp, frame);
            case ACK, NACK -> throw new StompException(command + " is not supported: every subscription is ack:auto");
            case BEGIN, COMMIT, ABORT -> throw new StompException(command + " is not supported: Duplex has no STOMP transactions");
            default -> throw new StompException(command + " is not a client frame");
        }
    }

    private void connect(StompSession stomp, StompFrame frame) {
        ClientSession session = stomp.session();
        if (session.connected()) {
            throw new StompException("already connected");
        }
        StompVersion version = StompVersion.negotiate(frame.header("accept-version"));
        if (version == null) {
            throw new StompException("no common STOMP version: this server speaks 1.0, 1.1 and 1.2");
        }
        HeartBeat agreed = HeartBeat.parse(frame.header("heart-beat")).negotiate(server);
        String token = token(stomp, frame.headers());
        try {
            node.connect(session, 0, token);
        } catch (DuplexException e) {
            if (e.code() == ErrorCode.UNAUTHORIZED && token == null) {
                throw new DuplexException(ErrorCode.UNAUTHORIZED, "a token is required: send it as CONNECT's passcode header, "
                        + "as Authorization: Bearer on CONNECT or the handshake, or as the handshake's token parameter");
            }
            throw e;
        }
        StompConnection connection = stomp.connection();
        connection.version(version);
        reply(stomp, StompFrame.of(StompCommand.CONNECTED, StompHeaders.builder()
                .add("version", version.label())
                .add("heart-beat", agreed.header())
                .add("server", serverName)
                .add("session", session.id())
                .add("user-name", session.user())
                .build()));
        if (agreed.send() > 0) {
            try {
                connection.heartBeats(scheduler.executor().scheduleAtFixedRate(() -> heartBeat(stomp),
                        agreed.send(), agreed.send(), TimeUnit.MILLISECONDS));
            } catch (RejectedExecutionException e) {
                // The node is stopping: the session is about to be closed.
            }
        }
    }

    /** The credentials: CONNECT's passcode, else its Authorization header, else the handshake's. */
    private static String token(StompSession stomp, StompHeaders headers) {
        String passcode = headers.get("passcode");
        if (passcode != null && !passcode.isEmpty()) {
            return passcode;
        }
        String authorization = headers.get("Authorization");
        if (authorization == null) {
            authorization = headers.get("authorization");
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return stomp.handshakeToken();
    }

    private void heartBeat(StompSession stomp) {
        ClientSession session = stomp.session();
        if (session.open()) {
            session.reply(EOL);
        } else {
            stomp.connection().stopHeartBeats();
        }
    }

    private void send(ClientSession session, StompFrame frame) {
        ChannelName channel = Destinations.channel(frame.header("destination"));
        access.checkPublish(session.identity(), channel);
        node.publish(PublishRequest.of(channel, Bodies.data(frame.header("content-type"), frame.body()),
                Publisher.of(StompConnection.DOOR, session.user())));
    }

    private void subscribe(StompSession stomp, StompFrame frame) {
        String id = frame.header("id");
        if (id == null || id.isEmpty()) {
            throw new StompException("SUBSCRIBE needs an id header");
        }
        String ack = frame.header("ack");
        if (ack != null && !ack.equals("auto")) {
            throw new StompException("ack:" + ack + " is not supported: subscribe with ack:auto (messages are not redelivered)");
        }
        ChannelName channel = Destinations.channel(frame.header("destination"));
        Map<String, ChannelName> subscriptions = stomp.subscriptions();
        if (subscriptions.containsKey(id)) {
            throw new StompException("subscription id '" + id + "' is already in use");
        }
        if (subscriptions.containsValue(channel)) {
            throw new StompException("already subscribed to " + StompFraming.destination(channel) + " under another id");
        }
        ClientSession session = stomp.session();
        access.checkRead(session.identity(), channel);
        subscriptions.put(id, channel);
        try {
            node.subscribe(session, 0, channel, null, id);
        } catch (RuntimeException e) {
            subscriptions.remove(id);
            throw e;
        }
    }

    private void unsubscribe(StompSession stomp, StompFrame frame) {
        String id = frame.header("id");
        if (id == null) {
            throw new StompException("UNSUBSCRIBE needs an id header");
        }
        ChannelName channel = stomp.subscriptions().remove(id);
        if (channel == null) {
            throw new DuplexException(ErrorCode.NOT_SUBSCRIBED, "no subscription with id '" + id + "'");
        }
        node.unsubscribe(stomp.session(), 0, channel);
    }

    /**
     * Ends the subscriptions at once. The RECEIPT, if asked for, is the last frame, and the client closes when it has
     * it; without one the client waits for nothing, and the node closes at once.
     */
    private void disconnect(StompSession stomp, StompFrame frame) {
        stomp.disconnect();
        for (ChannelName channel : stomp.subscriptions().values()) {
            node.unsubscribe(stomp.session(), 0, channel);
        }
        stomp.subscriptions().clear();
        String receipt = frame.header("receipt");
        if (receipt != null) {
            stomp.connection().receiptThenClientCloses(stomp.connection().stompFraming().frame(
                    StompFrame.of(StompCommand.RECEIPT, StompHeaders.of("receipt-id", receipt))));
        }
        node.disconnect(stomp.session(), DisconnectReason.CLIENT_CLOSED);
    }

    private static void reply(StompSession stomp, StompFrame frame) {
        stomp.session().reply(stomp.connection().stompFraming().frame(frame));
    }

    /** Answers with an ERROR frame and closes: STOMP has no error a connection outlives. */
    private void fail(StompSession stomp, ErrorCode code, String message, String receipt, DisconnectReason reason) {
        StompHeaders headers = StompHeaders.builder()
                .add("message", message)
                .add("code", code.code())
                .add("receipt-id", receipt)
                .add("content-type", Bodies.TEXT)
                .build();
        StompConnection connection = stomp.connection();
        connection.farewell(connection.stompFraming().frame(new StompFrame(StompCommand.ERROR, headers, message)));
        if (reason != DisconnectReason.POLICY) {
            LOG.info(stomp + " from " + stomp.session().remote() + " refused with " + reason.code() + ": " + message);
        }
        node.disconnect(stomp.session(), reason);
    }

    private static DisconnectReason closeReason(ClientSession session, ErrorCode code) {
        return switch (code) {
            case UNAUTHORIZED -> DisconnectReason.UNAUTHORIZED;
            case LIMIT_EXCEEDED -> session.connected() ? DisconnectReason.POLICY : DisconnectReason.TOO_MANY_CONNECTIONS;
            default -> DisconnectReason.POLICY;
        };
    }
}
