package io.duplex.core;

import io.duplex.broker.Broker;
import io.duplex.broker.BrokerListener;
import io.duplex.broker.History;
import io.duplex.broker.HistoryQuery;
import io.duplex.broker.Presence;
import io.duplex.broker.PresenceEntry;
import io.duplex.broker.PublishRequest;
import io.duplex.broker.PublishResult;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import io.duplex.channel.StreamPosition;
import io.duplex.config.DuplexConfig;
import io.duplex.config.Durations;
import io.duplex.error.DisconnectReason;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import io.duplex.protocol.Codec;
import io.duplex.protocol.ServerFrame;
import io.duplex.security.Identity;
import io.duplex.security.TokenVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What this node does for its clients, whichever door they came through: open and close sessions,
 * subscribe with recovery, publish, presence, direct pushes, disconnects. The WebSocket endpoint and the
 * REST resources both call it; it is the only writer of the {@link Hub}.
 */
@ApplicationScoped
public class Node {
    private static final Logger LOG = Logger.getLogger(Node.class.getName());
    /** The bytes of a message push besides its data and channel name: {"type":"message","channel":"","offset":N,"data":}. */
    private static final int PUSH_OVERHEAD_BYTES = 64;

    private final DuplexConfig config;
    private final Broker broker;
    private final Presence presence;
    private final Hub hub;
    private final TokenVerifier tokens;
    private final Scheduler scheduler;
    private final PublishListener published;
    private final NodeObserver observer;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private volatile boolean stopping;

    protected Node() {
        // for CDI's client proxy
        this(null, null, null, null, null, null, null, null);
    }

    @Inject
    public Node(DuplexConfig config, Broker broker, Presence presence, Hub hub, TokenVerifier tokens, Scheduler scheduler,
            PublishListener published, NodeObserver observer) {
        this.config = config;
        this.broker = broker;
        this.presence = presence;
        this.hub = hub;
        this.tokens = tokens;
        this.scheduler = scheduler;
        this.published = published;
        this.observer = observer;
        this.clock = Clock.tickMillis(ZoneOffset.UTC);
    }

    /** Starts taking the engine's messages. */
    public void start() {
        broker.start(new BrokerListener() {
            @Override
            public void onMessage(ChannelMessage message) {
                scheduler.deliverTogether(() -> deliver(message));
            }

            @Override
            public void onResubscribed(ChannelName channel) {
                // On the engine's delivery thread: the reads that follow belong elsewhere.
                runBlocking(() -> catchUp(channel));
            }
        });
    }

    // ---- sessions ----

    /** Registers a new connection; it must send {@code connect} before anything else. */
    public ClientSession open(Connection connection) {
        String id = newSessionId();
        ClientSession session = new ClientSession(id, connection, clock.instant(),
                config.outboundQueueMessages(), config.outboundQueueBytes(), config.limits().publishRate(), this::disconnect,
                scheduler.delivery(id));
        observer.connectionOpened();
        if (stopping) {
            connection.close(DisconnectReason.GOING_AWAY);
            session.markClosed(DisconnectReason.GOING_AWAY);
            observer.connectionClosed(DisconnectReason.GOING_AWAY, DisconnectReason.GOING_AWAY.code());
            return session;
        }
        hub.add(session);
        LOG.log(Level.FINE, "{0} opened from {1}", new Object[] {session, session.remote()});
        return session;
    }

    /**
     * The {@code connect} command: the session becomes usable, as the token's user when tokens are checked,
     * anonymous and unrestricted when no token key is configured (dev mode). Throws {@code unauthorized} for a
     * missing or invalid token and {@code limit_exceeded} when the user has too many connections.
     */
    public ServerFrame connect(ClientSession session, long id, String token) {
        if (session.connected()) {
            throw new DuplexException(ErrorCode.BAD_REQUEST, "already connected");
        }
        Identity identity = tokens.enabled() ? tokens.verify(token) : Identity.UNCHECKED;
        connect(session, identity);
        return new ServerFrame.Connected(id, session.id(), Codec.VERSION, identity.expiresAt());
    }

    /**
     * Makes the session usable as {@code identity}, which its door verified itself (an event stream's Bearer token or
     * API key). Throws {@code limit_exceeded} when the user has too many connections.
     */
    public void connect(ClientSession session, Identity identity) {
        if (session.connected()) {
            throw new DuplexException(ErrorCode.BAD_REQUEST, "already connected");
        }
        if (identity.user() != null) {
            int max = config.limits().connectionsPerUser();
            if (!hub.reserveUserConnection(identity.user(), max)) {
                throw new DuplexException(ErrorCode.LIMIT_EXCEEDED, "user '" + identity.user() + "' already has " + max
                        + (max == 1 ? " connection" : " connections") + " open on this node, the most allowed");
            }
            session.holdUserSlot();
        }
        session.connected(identity);
        if (!session.open() && identity.user() != null && session.releaseUserSlot()) {
            // Closed while connecting: release() may have run before the slot was taken.
            hub.releaseUserConnection(identity.user());
        }
    }

    /** The {@code refresh} command: a fresh token for the same user replaces the one about to expire. */
    public ServerFrame refresh(ClientSession session, long id, String token) {
        if (!tokens.enabled()) {
            throw new DuplexException(ErrorCode.BAD_REQUEST, "this node checks no tokens; there is nothing to refresh");
        }
        Identity fresh = tokens.verify(token);
        if (!fresh.user().equals(session.user())) {
            throw new DuplexException(ErrorCode.PERMISSION_DENIED, "a refresh token must be for the connection's user");
        }
        session.refreshed(fresh);
        return new ServerFrame.Refreshed(id, fresh.expiresAt());
    }

    /** Closes a session from the server side: it is gone from the hub at once, and its connection closes. */
    public void disconnect(ClientSession session, DisconnectReason reason) {
        if (session.markClosed(reason)) {
            release(session);
            session.connection().close(reason);
            report(session, reason, reason.code());
            // A slow or flooding client is worth an operator's attention; the other reasons are routine.
            Level level = reason.code() == DisconnectReason.TOO_SLOW.code() || reason == DisconnectReason.RATE_LIMIT ? Level.INFO : Level.FINE;
            LOG.log(level, () -> session + " from " + session.remote() + " disconnected: " + reason.code() + " " + reason.reason());
        }
    }

    /** The transport reports the connection closed (by the client, the network, or after our own close). */
    public void closed(ClientSession session, int code) {
        DisconnectReason reason = DisconnectReason.ofCode(code);
        if (session.markClosed(reason)) {
            release(session);
            report(session, DisconnectReason.CLIENT_CLOSED, code);
            LOG.log(Level.FINE, () -> session + " from " + session.remote() + " closed: " + code);
        }
    }

    /** A refused WebSocket handshake (the transport closed it before any frame was read), for the metrics. */
    public void handshakeRefused(DisconnectReason reason) {
        observer.handshakeRefused(reason);
    }

    private void report(ClientSession session, DisconnectReason reason, int code) {
        int dropped = session.outbox().discarded();
        if (dropped > 0) {
            observer.dropped(dropped);
        }
        observer.connectionClosed(reason, code);
    }

    /**
     * Sends a message to one session as a {@code direct} push; false if the session is closing or not yet connected.
     * Throws {@code bad_request} for a session whose door has no direct messages ({@link Framing#direct} gives none).
     */
    public boolean push(ClientSession session, Payload data) {
        checkSize(data);
        OutboundFrame frame = session.connection().framing().direct(data);
        if (frame == null) {
            throw new DuplexException(ErrorCode.BAD_REQUEST, "session '" + session.id() + "' came through the "
                    + session.door() + " door, which has no direct messages");
        }
        return session.open() && session.connected() && session.send(frame);
    }

    /** Closes every session with 1001 and refuses new ones: the application is stopping. */
    public void shutdown() {
        stopping = true;
        Collection<ClientSession> open = hub.connections();
        for (ClientSession session : open) {
            disconnect(session, DisconnectReason.GOING_AWAY);
        }
        if (!open.isEmpty()) {
            LOG.info(() -> "closed " + open.size() + (open.size() == 1 ? " session" : " sessions") + " with 1001 (server shutting down)");
        }
    }

    private void release(ClientSession session) {
        hub.remove(session);
        if (session.releaseUserSlot()) {
            hub.releaseUserConnection(session.user());
        }
        for (Subscription subscription : session.subscriptions()) {
            removeSubscription(subscription);
        }
        session.subscriptionMap().clear();
    }

    // ---- channels ----

    /**
     * Subscribes the session and sends, in this order, the {@code subscribed} reply, the recovered
     * messages, and every live message after them (see {@link Subscription}).
     */
    public void subscribe(ClientSession session, long id, ChannelName channel, StreamPosition since) {
        subscribe(session, id, channel, since, null);
    }

    /**
     * Subscribes as {@link #subscribe(ClientSession, long, ChannelName, StreamPosition)} does, the subscription named
     * {@code tag} in the door's protocol (STOMP's subscription id: its frames carry it).
     */
    public void subscribe(ClientSession session, long id, ChannelName channel, StreamPosition since, String tag) {
        subscribe(session, id, channel, since, tag, null, null);
    }

    /**
     * Subscribes as {@link #subscribe(ClientSession, long, ChannelName, StreamPosition, String)} does, the session shown
     * in the channel's presence as {@code member} with {@code info} (a Pusher presence channel's user_id and user_info,
     * given per channel) rather than as the session's user. Null member: the session's user, no info.
     */
    public void subscribe(ClientSession session, long id, ChannelName channel, StreamPosition since, String tag, String member,
            String info) {
        if (session.subscriptionMap().size() >= config.subscriptionsMax() && !session.subscriptionMap().containsKey(channel)) {
            throw new DuplexException(ErrorCode.LIMIT_EXCEEDED,
                    "a session may subscribe to " + config.subscriptionsMax() + " channels at most");
        }
        Subscription subscription = new Subscription(session, channel, tag, config.outboundQueueMessages());
        if (session.subscriptionMap().putIfAbsent(channel, subscription) != null) {
            throw new DuplexException(ErrorCode.BAD_REQUEST, "already subscribed to '" + channel + "'");
        }
        hub.addSubscription(subscription, this::engineWants);
        try {
            StreamPosition position;
            List<ChannelMessage> recovered = List.of();
            Boolean wasRecovered = null;
            if (since == null) {
                position = broker.position(channel);
            } else {
                History history = broker.history(channel, HistoryQuery.after(since.offset(), config.historySize()));
                position = new StreamPosition(history.epoch(), history.offset());
                wasRecovered = recoverable(since, history) && fitsHalfTheQueue(history.messages());
                if (wasRecovered) {
                    recovered = history.messages();
                }
            }
            Subscription.Outcome outcome = subscription.activate(
                    subscription.framing().subscribed(id, channel, position, wasRecovered, tag), position, recovered);
            if (wasRecovered != null) {
                observer.recovery(wasRecovered, recovered.size());
            }
            act(channel, List.of(new Report(subscription, outcome)));
            presence.add(channel, new PresenceEntry(session.id(), member == null ? session.user() : member, member == null ? null : info));
        } catch (RuntimeException e) {
            session.subscriptionMap().remove(channel, subscription);
            removeSubscription(subscription);
            throw e;
        }
        if (!session.open()) {
            // Closed while subscribing: release() may have run before the subscription was registered.
            removeSubscription(subscription);
        }
    }

    /** Whether history holds every message after {@code since} up to the channel's latest. */
    private static boolean recoverable(StreamPosition since, History history) {
        if (!since.epoch().equals(history.epoch()) || since.offset() > history.offset()) {
            return false;
        }
        if (since.offset() == history.offset()) {
            return true;
        }
        List<ChannelMessage> messages = history.messages();
        return !messages.isEmpty()
                && messages.get(0).offset() == since.offset() + 1
                && messages.get(messages.size() - 1).offset() == history.offset();
    }

    /**
     * Whether the missed messages fit in half the session's outbound queue. More would be sent only to overflow
     * it (4002) and be asked for again at the next reconnect; the client is told to reload over REST instead,
     * and the other half stays free for live messages.
     */
    private boolean fitsHalfTheQueue(List<ChannelMessage> messages) {
        if (messages.size() > config.outboundQueueMessages() / 2) {
            return false;
        }
        long bytes = 0;
        for (ChannelMessage message : messages) {
            bytes += message.data().bytes() + PUSH_OVERHEAD_BYTES + message.channel().value().length();
        }
        return bytes <= config.outboundQueueBytes() / 2;
    }

    public ServerFrame unsubscribe(ClientSession session, long id, ChannelName channel) {
        Subscription subscription = session.subscriptionMap().remove(channel);
        if (subscription == null) {
            throw new DuplexException(ErrorCode.NOT_SUBSCRIBED, "not subscribed to '" + channel + "'");
        }
        removeSubscription(subscription);
        return new ServerFrame.Unsubscribed(id, channel);
    }

    private void removeSubscription(Subscription subscription) {
        ChannelName channel = subscription.channel();
        hub.removeSubscription(subscription, this::engineWants);
        presence.remove(channel, subscription.session().id());
    }

    /** Tells the engine whether this node wants the channel's messages: it has subscribers of it, or no longer. */
    private void engineWants(ChannelName channel, boolean wanted) {
        if (wanted) {
            broker.subscribe(channel);
        } else {
            broker.unsubscribe(channel);
        }
    }

    /**
     * Publishes through the engine: on return the message is in history and on its way to every subscriber, or was
     * already (a {@link PublishResult.Outcome#DUPLICATE} of an earlier publish with the same idempotency key). Throws
     * {@code idempotency_key_reused} when the key was used for a different message. The bridges may refuse it first,
     * with {@code engine_unavailable}, when they could not pass it on; they are told of it once, when it is published.
     */
    public PublishResult publish(PublishRequest request) {
        checkSize(request.data());
        published.check(request.channel(), request.publisher());
        return answered(request, broker.publish(request));
    }

    /**
     * {@link #publish} without waiting for the engine: the stage completes with the result, or exceptionally with what
     * {@link #publish} would throw. The message's size and the bridges are checked before it returns (and throws, as
     * {@link #publish} does); a caller's messages get offsets in the order it called.
     */
    public CompletionStage<PublishResult> publishAsync(PublishRequest request) {
        checkSize(request.data());
        published.check(request.channel(), request.publisher());
        return broker.publishAllAsync(List.of(request)).thenApply(results -> answered(request, results.get(0)));
    }

    /** What the engine answered a single publish: refused if its key was reused; told and counted if published. */
    private PublishResult answered(PublishRequest request, PublishResult result) {
        if (result.outcome() == PublishResult.Outcome.KEY_REUSED) {
            throw keyReused(request);
        }
        tell(result);
        count(request, result);
        return result;
    }

    /**
     * Publishes several messages in order (see {@link Broker#publishAll}): one result per request up to the first whose
     * key was reused, which ends the list. Every message's size is checked, and every bridge asked, before any is
     * published.
     */
    public List<PublishResult> publishAll(List<PublishRequest> requests) {
        requests.forEach(request -> checkSize(request.data()));
        requests.forEach(request -> published.check(request.channel(), request.publisher()));
        List<PublishResult> results = broker.publishAll(requests);
        for (int i = 0; i < results.size(); i++) {
            tell(results.get(i));
            count(requests.get(i), results.get(i));
        }
        return results;
    }

    /** Tells the bridges of a message published now: a repeat of an earlier publish was told then. */
    private void tell(PublishResult result) {
        if (result.outcome() == PublishResult.Outcome.PUBLISHED) {
            published.accepted(result.message());
        }
    }

    private void count(PublishRequest request, PublishResult result) {
        if (result.outcome() == PublishResult.Outcome.PUBLISHED) {
            observer.published(request.publisher().door());
        } else if (result.outcome() == PublishResult.Outcome.DUPLICATE) {
            observer.duplicate(request.publisher().door());
        }
    }

    /** The error for a request whose idempotency key was used for a different message within the window. */
    public DuplexException keyReused(PublishRequest request) {
        return new DuplexException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "idempotency key '" + shorten(request.idempotencyKey().value())
                + "' was used within the last " + Durations.format(config.publishIdempotencyWindow())
                + " for a different message (another channel or other data); nothing was published. Use a new key for a new message");
    }

    private static String shorten(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }

    public StreamPosition position(ChannelName channel) {
        return broker.position(channel);
    }

    public History history(ChannelName channel, HistoryQuery query) {
        return broker.history(channel, query);
    }

    public List<PresenceEntry> presence(ChannelName channel) {
        return presence.list(channel);
    }

    /** Channels known to the engine or subscribed to on this node. */
    public Collection<ChannelName> channels() {
        TreeSet<ChannelName> all = new TreeSet<>(broker.channels());
        all.addAll(hub.channels());
        return all;
    }

    public String engine() {
        return broker.name();
    }

    /** Whether the engine carries every message to the subscribers of every node (Redis), not only this one's. */
    public boolean sharedEngine() {
        return broker.sharesChannels();
    }

    public boolean healthy() {
        return !stopping && broker.healthy();
    }

    /** Whether the application is stopping: its sessions are being closed with 1001 and new ones refused. */
    public boolean stopping() {
        return stopping;
    }

    private void checkSize(Payload data) {
        if (data.bytes() > config.messageMaxBytes()) {
            throw new DuplexException(ErrorCode.TOO_LARGE,
                    "'data' is " + data.bytes() + " bytes as JSON; the most is " + config.messageMaxBytes());
        }
    }

    /** A message from the engine: serialised once per door, offered to every local subscriber. */
    private void deliver(ChannelMessage message) {
        Collection<Subscription> subscribers = hub.subscribers(message.channel());
        if (subscribers.isEmpty()) {
            return;
        }
        Frames frames = new Frames(message);
        List<Report> reports = null; // only the subscriptions that need more than the send: almost always none
        int delivered = 0;
        for (Subscription subscription : subscribers) {
            Subscription.Outcome outcome = subscription.deliver(message, frames.of(subscription));
            if (outcome == Subscription.Outcome.OK) {
                delivered++;
            } else {
                if (reports == null) {
                    reports = new ArrayList<>();
                }
                reports.add(new Report(subscription, outcome));
            }
        }
        // Counted once per message, not once per send: the metric costs the fan-out one add.
        observer.delivered(delivered);
        if (reports != null) {
            act(message.channel(), reports);
        }
    }

    // ---- gaps: messages the engine lost on the way (a Redis connection dropped), filled from history ----

    /** What one subscription made of a message, a repair or a check. */
    private record Report(Subscription subscription, Subscription.Outcome outcome) {
    }

    /** Acts on what subscriptions of one channel reported; the subscriptions with a gap are repaired together. */
    private void act(ChannelName channel, List<Report> reports) {
        List<Subscription> gaps = null;
        int interrupted = 0;
        for (Report report : reports) {
            Subscription subscription = report.subscription();
            switch (report.outcome()) {
                case OK -> { }
                case OVERFLOW -> disconnect(subscription.session(), DisconnectReason.TOO_SLOW);
                case INTERRUPTED -> {
                    if (subscription.session().open()) {
                        disconnect(subscription.session(), DisconnectReason.RESUBSCRIBE);
                        interrupted++;
                    }
                }
                case GAP -> {
                    if (gaps == null) {
                        gaps = new ArrayList<>();
                    }
                    gaps.add(subscription);
                }
            }
        }
        if (interrupted > 0) {
            // One line per channel and event: after a Redis restart every subscriber of a channel is in it.
            int sessions = interrupted;
            LOG.info(() -> sessions + (sessions == 1 ? " session" : " sessions") + " subscribed to " + channel
                    + " missed messages that history no longer holds (the channel's epoch changed, or retention dropped"
                    + " them): closed with " + DisconnectReason.RESUBSCRIBE.code() + " to subscribe again");
        }
        if (gaps != null) {
            List<Subscription> repairs = gaps;
            runBlocking(() -> repair(channel, repairs));
        }
    }

    /**
     * Reads the channel's history after each subscription's last offset (once per distinct offset: subscribers that
     * missed the same messages share the read) and hands it to them. While the engine cannot be read, tries again
     * each second; the subscriptions hold live messages meanwhile, up to their hold.
     */
    private void repair(ChannelName channel, List<Subscription> subscriptions) {
        List<Subscription> live = subscriptions.stream().filter(this::stillSubscribed).toList();
        if (live.isEmpty()) {
            return;
        }
        Map<Long, History> reads = new HashMap<>();
        List<Report> reports = new ArrayList<>(live.size());
        try {
            for (Subscription subscription : live) {
                History history = reads.computeIfAbsent(subscription.offset(),
                        offset -> broker.history(channel, HistoryQuery.after(offset, config.outboundQueueMessages() / 2 + 1)));
                Subscription.Outcome outcome = subscription.repair(history);
                if (outcome == Subscription.Outcome.OK) {
                    observer.gapRepaired();
                }
                reports.add(new Report(subscription, outcome));
            }
        } catch (DuplexException e) {
            // Redis is away again: its outage is logged once by the engine, not once a second here.
            List<Subscription> waiting = live.subList(reports.size(), live.size());
            LOG.log(Level.FINE, () -> "cannot fill a gap in " + channel + " for " + waiting.size() + " subscriber(s) yet: "
                    + e.getMessage() + "; trying again in 1 s");
            retryLater(() -> repair(channel, waiting));
        } catch (RuntimeException e) {
            // A fault of the engine, not an outage: the subscribers are told to resubscribe rather than left holding.
            LOG.log(Level.SEVERE, "reading the history of " + channel + " to fill a gap failed", e);
            for (Subscription subscription : live.subList(reports.size(), live.size())) {
                reports.add(new Report(subscription, subscription.interrupt()));
            }
        }
        act(channel, reports);
    }

    /** The engine re-subscribed the channel after a lost connection: each subscriber behind its position is repaired. */
    private void catchUp(ChannelName channel) {
        Collection<Subscription> subscribers = hub.subscribers(channel);
        if (subscribers.isEmpty()) {
            return;
        }
        StreamPosition position;
        try {
            position = broker.position(channel);
        } catch (DuplexException e) {
            LOG.log(Level.FINE, () -> "cannot check " + channel + " for missed messages yet: " + e.getMessage()
                    + "; trying again in 1 s");
            retryLater(() -> catchUp(channel));
            return;
        }
        List<Report> reports = new ArrayList<>();
        for (Subscription subscription : subscribers) {
            reports.add(new Report(subscription, subscription.check(position)));
        }
        act(channel, reports);
    }

    private boolean stillSubscribed(Subscription subscription) {
        ClientSession session = subscription.session();
        return session.open() && session.subscriptionMap().get(subscription.channel()) == subscription;
    }

    private void runBlocking(Runnable task) {
        try {
            scheduler.blocking().execute(task);
        } catch (RejectedExecutionException e) {
            // The node is stopping: its sessions are being closed anyway.
        }
    }

    private void retryLater(Runnable task) {
        if (stopping) {
            return;
        }
        try {
            scheduler.executor().schedule(() -> runBlocking(task), 1, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // The node is stopping.
        }
    }

    private String newSessionId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
