package io.duplex.broker.redis;

import io.duplex.config.RedisUri;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.SocketAddress;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;

/**
 * A node's two connections to Redis — one for commands, one for pub/sub, since a subscribed connection takes no other
 * commands — and whether Redis answers.
 *
 * <p>Lettuce reconnects both by itself and re-subscribes. While a connection is down its commands are refused at once
 * rather than queued, and a command Redis does not answer fails after the timeout (2 s unless the URI sets one), so a
 * caller learns within moments that the engine is unavailable. Redis is up while both connections are open and a PING,
 * sent every second, was answered within the last 3 s. An outage is logged once when it starts (WARN) and once when
 * it ends (INFO), never per command. A node that starts while Redis is away keeps trying to connect, every second.
 */
public final class RedisConnections {
    private static final Logger LOG = Logger.getLogger(RedisConnections.class.getName());
    // Lettuce logs every reconnection attempt (WARN) and every reconnection (INFO), per connection; an outage is
    // reported here instead, once. Unless the operator configured them, Lettuce speaks at WARN and its reconnection
    // watchdog not at all. Held: java.util.logging references loggers weakly, and a collected one forgets its level.
    private static final Logger LETTUCE_LOG = Logger.getLogger("io.lettuce");
    private static final Logger RECONNECT_LOG = Logger.getLogger("io.lettuce.core.protocol.ConnectionWatchdog");
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    private static final long CHECK_EVERY_MS = 1000;
    private static final long PONG_MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final RedisUri uri;
    private final RedisURI target;
    private final ClientResources resources;
    private final RedisClient client;
    private final RedisObserver observer;
    private final TopicSubscriptions topics = new TopicSubscriptions();
    private final AtomicBoolean connecting = new AtomicBoolean();
    private final AtomicInteger users = new AtomicInteger();
    private final ScheduledFuture<?> checker;
    private final RedisCommands<String, String> sync = clean(RedisCommands.class, () -> connection().sync());
    private final RedisAsyncCommands<String, String> async = clean(RedisAsyncCommands.class, () -> connection().async());
    private volatile StatefulRedisConnection<String, String> commands;
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;
    private volatile long lastPong = System.nanoTime() - PONG_MAX_AGE_NANOS;
    private volatile String lastProblem = "connection lost";
    private volatile boolean closed;
    /** Whether the first connection attempt is over. Guarded by this. */
    private boolean started;
    /** What the log last said: null before the first report. Guarded by this. */
    private Boolean reportedUp;
    private long downSince;

    private RedisConnections(RedisUri uri, ScheduledExecutorService scheduler, RedisObserver observer) {
        this.uri = uri;
        this.target = parse(uri);
        this.observer = observer;
        if (LETTUCE_LOG.getLevel() == null) {
            LETTUCE_LOG.setLevel(Level.WARNING);
        }
        if (RECONNECT_LOG.getLevel() == null) {
            RECONNECT_LOG.setLevel(Level.SEVERE);
        }
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                // Lettuce's default backs off to 30 s between attempts; a node should be back within moments of Redis.
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .commandLatencyRecorder(observer.latencyRecorder())
                .build();
        this.client = RedisClient.create(resources, target);
        client.setOptions(options(target.getTimeout()));
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                check();
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (connection == commands || connection == pubsub) {
                    // One of ours, that was connected. A connection that failed while being made (a TLS handshake)
                    // is reported by its attempt, whose reason says more; under load this event can come after it.
                    lastProblem = "connection lost";
                }
                if (connection == pubsub) {
                    topics.disconnected();
                }
                check();
            }
        });
        this.checker = scheduler.scheduleWithFixedDelay(this::check, CHECK_EVERY_MS, CHECK_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Connects to the Redis the URI names, waiting a moment for it; if it cannot be reached yet, says so once and keeps
     * trying in the background. The returned connections close when their last user {@link #release releases} them.
     */
    public static RedisConnections open(RedisUri uri, ScheduledExecutorService scheduler, RedisObserver observer) {
        try {
            RedisConnections redis = new RedisConnections(uri, scheduler, observer);
            redis.firstConnect();
            return redis;
        } finally {
            forgetNettyThreadLocals(); // the container's deploying thread
        }
    }

    private static RedisURI parse(RedisUri uri) {
        RedisURI target;
        try {
            target = RedisURI.create(uri.value());
        } catch (RuntimeException e) {
            // The parser's message may quote the whole URI, password and all.
            throw new IllegalArgumentException("redis.uri " + uri.masked() + " cannot be used: "
                    + RedisUri.mask(String.valueOf(e.getMessage())));
        }
        if (target.getTimeout().equals(RedisURI.DEFAULT_TIMEOUT_DURATION)) {
            target.setTimeout(DEFAULT_TIMEOUT);
        }
        return target;
    }

    private static ClientOptions options(Duration timeout) {
        return ClientOptions.builder()
                .autoReconnect(true)
                // Refuse commands while disconnected: queued, a publish would be answered only when Redis is back, or run
                // twice if its first attempt had reached Redis.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
                // Redis Enterprise's maintenance notifications: an open-source Redis does not know the command.
                .maintNotificationsConfig(MaintNotificationsConfig.disabled())
                .build();
    }

    private void firstConnect() {
        try {
            connect().get(2 * target.getTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Reported below, once; the checker keeps trying.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            started = true;
        }
        report(healthy());
    }

    /** Counts one more user (the broker, the presence store) of these connections. */
    RedisConnections use() {
        users.incrementAndGet();
        return this;
    }

    /** One user is done; the last one closes the connections. */
    void release() {
        if (users.decrementAndGet() == 0) {
            close();
        }
    }

    TopicSubscriptions topics() {
        return topics;
    }

    /** Blocking commands, each failing after the timeout; throws at once when not connected. */
    RedisCommands<String, String> sync() {
        return sync;
    }

    /** Commands that never block the caller. */
    RedisAsyncCommands<String, String> async() {
        return async;
    }

    /**
     * The commands of the current connection, called so that they leave no Netty thread-local behind on the calling
     * thread. A command written from a thread outside Lettuce's event loop (a servlet container's request thread)
     * makes Netty keep a per-thread map on that thread; the container's threads outlive the application, and Tomcat
     * reports the map as a leak at undeploy. Clearing it after each call costs far less than the round trip to Redis
     * (the benchmark's publish p50 stayed within its noise).
     */
    private <T> T clean(Class<T> api, Supplier<T> current) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(this, args);
            }
            try {
                T target;
                try {
                    target = current.get();
                } catch (RedisException notConnected) {
                    failed(notConnected);
                    throw notConnected;
                }
                Object result = method.invoke(target, args);
                if (result instanceof CompletionStage<?> pending) {
                    pending.whenComplete((value, failure) -> failed(failure));
                }
                return result;
            } catch (InvocationTargetException e) {
                failed(e.getCause());
                throw e.getCause();
            } finally {
                forgetNettyThreadLocals();
            }
        };
        return api.cast(Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, handler));
    }

    /** Reports a failed command (every command goes through {@link #clean}); not connecting is a failure too. */
    private void failed(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        // NOSCRIPT is how a script gets loaded after a Redis restart (RedisScript sends it in full), not a failure.
        if (cause instanceof RedisException redisFailure && !(cause instanceof RedisNoScriptException)) {
            observer.commandFailed(redisFailure);
        }
    }

    Duration timeout() {
        return target.getTimeout();
    }

    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> current = commands;
        if (current == null) {
            throw new RedisConnectionException("not connected to Redis yet");
        }
        return current;
    }

    /** Whether both connections are open and Redis answered a PING within the last 3 s. */
    boolean healthy() {
        StatefulRedisConnection<String, String> c = commands;
        StatefulRedisPubSubConnection<String, String> p = pubsub;
        return !closed && c != null && c.isOpen() && p != null && p.isOpen()
                && System.nanoTime() - lastPong < PONG_MAX_AGE_NANOS;
    }

    /** Every second, and on every connection event: connect what is missing, ping, re-subscribe, report a change. */
    private void check() {
        if (closed) {
            return;
        }
        StatefulRedisConnection<String, String> c = commands;
        if (c == null || pubsub == null) {
            connect();
        } else if (c.isOpen()) {
            c.async().ping().thenRun(() -> lastPong = System.nanoTime());
        }
        topics.reconcile();
        report(healthy());
    }

    /** Opens whichever connection is missing; never blocks. */
    private CompletableFuture<Void> connect() {
        if (closed || !connecting.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> commandsReady = commands != null ? CompletableFuture.completedFuture(null)
                : client.connectAsync(StringCodec.UTF8, target).toCompletableFuture().thenAccept(connection -> {
                    commands = connection;
                    lastPong = System.nanoTime();
                });
        CompletableFuture<Void> pubsubReady = pubsub != null ? CompletableFuture.completedFuture(null)
                : client.connectPubSubAsync(StringCodec.UTF8, target).toCompletableFuture().thenAccept(connection -> {
                    pubsub = connection;
                    topics.connected(connection);
                });
        return CompletableFuture.allOf(commandsReady, pubsubReady).whenComplete((ok, e) -> {
            if (e != null) {
                lastProblem = reasonOf(e);
            }
            connecting.set(false);
            // The attempt reports its own outcome: a check that comes while the next attempt is under way stays
            // silent, and on a loaded machine (a TLS handshake taking seconds) every check would find one under way.
            report(healthy());
        });
    }

    private static String reasonOf(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        boolean tls = false;
        while (cause.getCause() != null && cause.getCause() != cause) {
            tls |= cause instanceof SSLException;
            cause = cause.getCause();
        }
        tls |= cause instanceof SSLException || cause instanceof CertificateException;
        String message = cause.getMessage();
        String reason = message == null ? cause.getClass().getSimpleName() : message.toLowerCase(Locale.ROOT);
        // The JDK's words for an untrusted certificate ("unable to find valid certification path") do not say what to do.
        return tls ? "TLS handshake failed: " + reason + "; Redis's certificate must verify against this JVM's trust store "
                + "(-Djavax.net.ssl.trustStore=…) and name the host of redis.uri" : reason;
    }

    private synchronized void report(boolean up) {
        // Before the first attempt has finished, connection events say nothing worth a line.
        if (!started || reportedUp != null && reportedUp == up || closed) {
            return;
        }
        if (!up && connecting.get()) {
            // An attempt to connect is under way: its failure (say, a TLS handshake) names the problem better than the
            // disconnect that came before it. The attempt reports when it ends.
            return;
        }
        Boolean before = reportedUp;
        reportedUp = up;
        if (up && before == null) {
            LOG.info(() -> "connected to Redis at " + uri.masked());
        } else if (up) {
            observer.reconnected();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSince);
            LOG.info(() -> "Redis at " + uri.masked() + " is reachable again after " + String.format(Locale.ROOT, "%.1f", millis / 1000.0)
                    + " s; publishes, reads and live delivery resume");
        } else {
            downSince = System.nanoTime();
            StatefulRedisConnection<String, String> c = commands;
            if (c != null && c.isOpen() && System.nanoTime() - lastPong < PONG_MAX_AGE_NANOS) {
                LOG.warning(() -> "Redis at " + uri.masked() + ": the pub/sub connection is lost: live "
                        + "messages do not reach this node, and /api/health answers 503, until it is back; retrying every second");
            } else {
                LOG.warning(() -> "Redis at " + uri.masked() + " is unreachable (" + lastProblem + "): publishes and reads answer "
                        + "engine_unavailable, and /api/health 503, until it is back; retrying every second");
            }
        }
    }

    /**
     * Drops what Netty keeps per thread on the calling thread, unless it is one of Netty's own. Duplex calls it on every
     * container thread that went through Lettuce: servlet containers keep their threads after the application is gone.
     */
    static void forgetNettyThreadLocals() {
        if (!(Thread.currentThread() instanceof FastThreadLocalThread)) {
            FastThreadLocal.removeAll();
        }
    }

    private void close() {
        try {
            shutDown();
        } finally {
            forgetNettyThreadLocals(); // the container's undeploying thread
        }
    }

    private void shutDown() {
        closed = true;
        checker.cancel(false);
        client.shutdown(Duration.ZERO, target.getTimeout());
        try {
            resources.shutdown(0, target.getTimeout().toMillis(), TimeUnit.MILLISECONDS).get(2 * target.getTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warning(() -> "Lettuce's threads did not stop in time: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
