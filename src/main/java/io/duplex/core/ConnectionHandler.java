package io.duplex.core;

import io.duplex.broker.PublishRequest;
import io.duplex.broker.PublishResult;
import io.duplex.channel.Door;
import io.duplex.channel.Publisher;
import io.duplex.error.DisconnectReason;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import io.duplex.protocol.Codec;
import io.duplex.protocol.Command;
import io.duplex.protocol.FrameException;
import io.duplex.protocol.ServerFrame;
import io.duplex.security.ChannelAccess;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the WebSocket transport calls: a connection opened, a frame arrived, the connection closed.
 * Decodes each frame once into a {@link Command}, executes it on the {@link Node} and answers it; every
 * mistake of the client becomes an {@code error} frame and the connection lives on.
 */
@ApplicationScoped
public class ConnectionHandler {
    private static final Logger LOG = Logger.getLogger(ConnectionHandler.class.getName());
    /** How long a publish waits for room among the connection's unanswered ones; the engine fails a call long before. */
    private static final Duration PUBLISH_ROOM_WAIT = Duration.ofSeconds(10);

    private final Node node;
    private final ChannelAccess access;
    private final Codec codec = new Codec();

    protected ConnectionHandler() {
        // for CDI's client proxy
        this(null, null);
    }

    @Inject
    public ConnectionHandler(Node node, ChannelAccess access) {
        this.node = node;
        this.access = access;
    }

    public ClientSession opened(Connection connection) {
        return node.open(connection);
    }

    /** The transport refused a handshake and closed it with {@code reason} before reading any frame. */
    public void refused(DisconnectReason reason) {
        node.handshakeRefused(reason);
    }

    public void received(ClientSession session, String frame) {
        session.received();
        if (!session.open()) {
            return;
        }
        ServerFrame reply;
        Long id = null;
        DisconnectReason close = null;
        try {
            Command command = codec.decode(frame);
            id = command.id();
            if (command instanceof Command.Publish && session.connected() && !session.tryPublish()) {
                // Over publish.rate: abuse, not a mistake. Not executed, not answered: closed with 4005.
                node.disconnect(session, DisconnectReason.RATE_LIMIT);
                return;
            }
            reply = execute(session, command);
        } catch (FrameException e) {
            reply = e.toReply();
        } catch (DuplexException e) {
            reply = failed(session, id, e);
            close = closeAfter(session, e);
            if (close != null) {
                LOG.info(session + " from " + session.remote() + " refused with " + close.code() + ": " + e.getMessage());
            }
        } catch (RuntimeException e) {
            reply = failed(session, id, e);
        }
        if (reply != null) {
            session.reply(OutboundFrame.of(reply));
        }
        if (close != null) {
            // The error frame is already handed to the container, which writes it before the close frame.
            node.disconnect(session, close);
        }
    }

    /** The error reply to a command that failed; what is not the client's fault is logged. */
    private static ServerFrame failed(ClientSession session, Long id, Throwable failure) {
        if (failure instanceof DuplexException e) {
            return new ServerFrame.ErrorReply(id, e.code(), e.getMessage());
        }
        // Not the client's fault: a bug or a broken engine. Worth a stack trace, once, here.
        LOG.log(Level.WARNING, "internal error on a frame of " + session, failure);
        return new ServerFrame.ErrorReply(id, ErrorCode.INTERNAL, "internal error; the server logged it");
    }

    /** A failed {@code connect} ends the connection: without a valid identity it may do nothing else. */
    private static DisconnectReason closeAfter(ClientSession session, DuplexException e) {
        if (session.connected()) {
            return null;
        }
        return switch (e.code()) {
            case UNAUTHORIZED -> DisconnectReason.UNAUTHORIZED;
            case LIMIT_EXCEEDED -> DisconnectReason.TOO_MANY_CONNECTIONS;
            default -> null;
        };
    }


    /** A binary frame: not part of the protocol, answered like any other bad frame. */
    public void receivedBinary(ClientSession session) {
        session.received();
        if (session.open()) {
            session.reply(OutboundFrame.of(new ServerFrame.ErrorReply(null, ErrorCode.BAD_REQUEST,
                    "binary frames are not supported; send JSON text frames")));
        }
    }

    /** A pong (or any control frame) shows the client is alive. */
    public void receivedPong(ClientSession session) {
        session.received();
    }

    public void closed(ClientSession session, int code) {
        node.closed(session, code);
    }

    /**
     * Publishes without waiting for the engine: the next frame is read while Redis works, so a client's publishes share
     * round trips (the memory engine answers at once, on this thread). The reply goes out when the engine answered;
     * replies to publishes keep their order, other replies may overtake them. At most
     * {@link ClientSession#UNANSWERED_PUBLISHES_MAX} are out at once: beyond that, the frame waits for room.
     */
    private void publish(ClientSession session, Command.Publish publish, PublishRequest request) {
        if (!awaitPublishRoom(session)) {
            throw new DuplexException(ErrorCode.ENGINE_UNAVAILABLE, "the engine did not answer this connection's earlier "
                    + "publishes within " + PUBLISH_ROOM_WAIT.toSeconds() + " s: nothing was published");
        }
        CompletionStage<PublishResult> published;
        try {
            published = node.publishAsync(request);
        } catch (RuntimeException e) {
            session.publishAnswered();
            throw e;
        }
        published.whenComplete((result, failure) -> {
            ServerFrame reply = failure == null
                    ? new ServerFrame.Published(publish.id(), publish.channel(), result.message().epoch(),
                            result.message().offset(), result.outcome() == PublishResult.Outcome.DUPLICATE)
                    : failed(session, publish.id(), failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure);
            session.reply(OutboundFrame.of(reply));
            session.publishAnswered();
        });
    }

    private static boolean awaitPublishRoom(ClientSession session) {
        try {
            return session.awaitPublishRoom(PUBLISH_ROOM_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs one command; null when the command sent its reply itself. */
    private ServerFrame execute(ClientSession session, Command command) {
        if (command instanceof Command.Connect connect) {
            return node.connect(session, connect.id(), connect.token());
        }
        if (!session.connected()) {
            throw new DuplexException(ErrorCode.NOT_CONNECTED, "send connect first");
        }
        if (command instanceof Command.Subscribe subscribe) {
            access.checkRead(session.identity(), subscribe.channel());
            // The reply must precede the recovered messages in the session's queue, so subscribe sends it.
            node.subscribe(session, subscribe.id(), subscribe.channel(), subscribe.since());
            return null;
        }
        if (command instanceof Command.Unsubscribe unsubscribe) {
            return node.unsubscribe(session, unsubscribe.id(), unsubscribe.channel());
        }
        if (command instanceof Command.Publish publish) {
            access.checkPublish(session.identity(), publish.channel());
            PublishRequest request = PublishRequest.of(publish.channel(), publish.data(), Publisher.of(Door.WEBSOCKET, session.user()))
                    .withIdempotencyKey(publish.idempotencyKey());
            publish(session, publish, request);
            return null;
        }
        if (command instanceof Command.PresenceQuery query) {
            access.checkRead(session.identity(), query.channel());
            return new ServerFrame.PresenceList(query.id(), query.channel(), node.presence(query.channel()));
        }
        if (command instanceof Command.Refresh refresh) {
            return node.refresh(session, refresh.id(), refresh.token());
        }
        if (command instanceof Command.Ping ping) {
            return new ServerFrame.Pong(ping.id());
        }
        throw new IllegalStateException("no handler for " + command);
    }
}
