package io.duplex.transport.sse;

import io.duplex.channel.ChannelName;
import io.duplex.channel.Door;
import io.duplex.channel.StreamPosition;
import io.duplex.config.DuplexConfig;
import io.duplex.config.Mode;
import io.duplex.core.ClientSession;
import io.duplex.core.ConnectionHandler;
import io.duplex.core.Node;
import io.duplex.core.Scheduler;
import io.duplex.error.DisconnectReason;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import io.duplex.security.ChannelAccess;
import io.duplex.security.Credentials;
import io.duplex.security.Identity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Server-Sent Events door: checks who asks for a stream and whether it may read each channel, then opens a client
 * session for it, subscribes it through {@link Node#subscribe} (the same recovery seam as a WebSocket {@code subscribe})
 * and starts the stream. Everything that can be refused is refused before the response starts, as a problem document;
 * once the stream is under way, it ends only with a {@code close} event.
 */
@ApplicationScoped
public class EventStreams {
    private static final Logger LOG = Logger.getLogger(EventStreams.class.getName());
    /** The door's name in /api/sessions and the metrics. */
    static final Door DOOR = new Door("sse");
    static final String TOKEN_PARAMETER = "token";
    static final String SESSION_HEADER = "Duplex-Session";

    private final Node node;
    private final ConnectionHandler handler;
    private final Credentials credentials;
    private final ChannelAccess access;
    private final Scheduler scheduler;
    private final DuplexConfig config;

    protected EventStreams() {
        // for CDI's client proxy
        this(null, null, null, null, null, null);
    }

    @Inject
    public EventStreams(Node node, ConnectionHandler handler, Credentials credentials, ChannelAccess access, Scheduler scheduler,
            DuplexConfig config) {
        this.node = node;
        this.handler = handler;
        this.credentials = credentials;
        this.access = access;
        this.scheduler = scheduler;
        this.config = config;
    }

    /** The most channels one stream may carry: as many as one session may subscribe to. */
    int maxChannels() {
        return config.subscriptionsMax();
    }

    /**
     * Who asks, from {@code Authorization: Bearer} (an API key or a token) or, for {@code EventSource}, which cannot set
     * headers, the {@code token} query parameter (a token only: an API key does not belong in a URL). The same
     * credentials as the REST API; a stream needs some wherever the API does.
     */
    Identity caller(HttpServletRequest request) {
        if (config.mode() == Mode.PRODUCTION && !request.isSecure()) {
            throw new DuplexException(ErrorCode.PERMISSION_DENIED, "production mode answers https:// only");
        }
        String header = request.getHeader("Authorization");
        String token = request.getParameter(TOKEN_PARAMETER);
        Identity caller;
        if (header == null && token != null && !token.isEmpty()) {
            caller = credentials.caller("Bearer " + token);
            if (caller.source() == Identity.Source.API_KEY) {
                throw new DuplexException(ErrorCode.UNAUTHORIZED,
                        "an API key is not accepted in the URL, where logs keep it: send it as Authorization: Bearer <API key>");
            }
        } else {
            caller = credentials.caller(header);
        }
        if (!caller.authenticated()) {
            throw new DuplexException(ErrorCode.UNAUTHORIZED, "an event stream needs credentials: send Authorization: Bearer "
                    + "<token or API key>, or ?token=<token> from EventSource");
        }
        return caller;
    }

    /**
     * Opens the stream: a session of the door {@code sse}, connected as {@code caller} and subscribed to every channel
     * asked for. Throws (and nothing is written) if the caller may not read a channel, has too many connections, or a
     * channel cannot be subscribed to (the engine is away).
     */
    void open(HttpServletRequest request, HttpServletResponse response, StreamRequest stream, Identity caller) throws IOException {
        for (ChannelName channel : stream.channels()) {
            access.checkRead(caller, channel);
        }
        if (node.stopping()) {
            throw new DuplexException(ErrorCode.SHUTTING_DOWN, "the server is shutting down; connect to another node");
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        SseConnection connection = new SseConnection(async, response.getOutputStream(), remote(request), handler,
                SseIds.of(stream), SseFraming.of(stream));
        ClientSession session = node.open(connection);
        try {
            if (!session.open()) {
                throw new DuplexException(ErrorCode.SHUTTING_DOWN, "the server is shutting down; connect to another node");
            }
            node.connect(session, caller);
            for (ChannelName channel : stream.channels()) {
                StreamPosition since = stream.since().get(channel);
                node.subscribe(session, 0, channel, since, null);
            }
        } catch (RuntimeException e) {
            // Nothing was written yet: what the subscriptions queued waits in the connection, which never starts. The
            // caller answers with a problem and then completes the response (EventStreamFilter).
            node.closed(session, DisconnectReason.CLIENT_CLOSED.code());
            throw e;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        // nginx buffers a proxied response unless told not to; an event held in a buffer is an event not delivered.
        response.setHeader("X-Accel-Buffering", "no");
        response.setHeader(SESSION_HEADER, session.id());
        connection.start(session, SseFrames.prelude(config.sse().retry(), session.id()), scheduler.executor(),
                config.sse().heartbeatInterval());
        LOG.log(Level.FINE, () -> session + " streams " + stream.channels() + " to " + session.remote());
    }

    private static String remote(HttpServletRequest request) {
        String host = request.getRemoteAddr();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + request.getRemotePort();
    }
}
