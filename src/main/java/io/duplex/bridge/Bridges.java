package io.duplex.bridge;

import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.config.DuplexConfig;
import io.duplex.broker.PublishRequest;
import io.duplex.broker.PublishResult;
import io.duplex.channel.Door;
import io.duplex.channel.IdempotencyKey;
import io.duplex.channel.Publisher;
import io.duplex.core.Node;
import io.duplex.core.PublishListener;
import io.duplex.core.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bridges the {@code bridges} setting names, each made by the {@link BridgeProvider} of that name: started with the
 * node, stopped before it, shown by /api/health, and told of every publish the node accepts.
 */
@ApplicationScoped
public class Bridges implements PublishListener {
    private static final Logger LOG = Logger.getLogger(Bridges.class.getName());

    private final DuplexConfig config;
    private final Instance<BridgeProvider> providers;
    private final Scheduler scheduler;
    private final List<Bridge> running = new CopyOnWriteArrayList<>();

    protected Bridges() {
        // for CDI's client proxy
        this(null, null, null);
    }

    @Inject
    public Bridges(DuplexConfig config, Instance<BridgeProvider> providers, Scheduler scheduler) {
        this.config = config;
        this.providers = providers;
        this.scheduler = scheduler;
    }

    /**
     * Starts every configured bridge, in the order named; a bridge that cannot run stops the ones already started and
     * fails the start with its reason.
     */
    public void start(Node node) {
        for (String name : config.bridges()) {
            Bridge bridge = provider(name).create(config);
            try {
                bridge.start(new Context(node, Publisher.of(new Door(name), null), scheduler.executor()));
            } catch (RuntimeException e) {
                stopQuietly(bridge);
                stop();
                throw e;
            }
            running.add(bridge);
        }
    }

    private BridgeProvider provider(String name) {
        for (BridgeProvider provider : providers) {
            if (provider.name().equals(name)) {
                return provider;
            }
        }
        throw new BridgeException("bridges names '" + name + "', but this build has no bridge of that name");
    }

    /** The bridges' states, in the order they were started. */
    public List<BridgeStatus> statuses() {
        List<BridgeStatus> statuses = new ArrayList<>();
        for (Bridge bridge : running) {
            statuses.add(bridge.status());
        }
        return statuses;
    }

    @Override
    public void check(ChannelName channel, Publisher publisher) {
        for (Bridge bridge : running) {
            bridge.check(channel, publisher);
        }
    }

    @Override
    public void accepted(ChannelMessage message) {
        for (Bridge bridge : running) {
            try {
                bridge.accepted(message);
            } catch (RuntimeException e) {
                // The message is accepted and delivered; one bridge's fault must not fail the publish nor starve the others.
                LOG.log(Level.SEVERE, "bridge " + bridge.status().name() + " failed on a message of " + message.channel(), e);
            }
        }
    }

    /** Stops every bridge, last started first. */
    public void stop() {
        List<Bridge> started = new ArrayList<>(running);
        running.clear();
        for (int i = started.size() - 1; i >= 0; i--) {
            stopQuietly(started.get(i));
        }
    }

    private static void stopQuietly(Bridge bridge) {
        try {
            bridge.stop();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a bridge did not stop cleanly", e);
        }
    }

    /**
     * The node as one bridge sees it: its publishes come through the bridge's own door (its name), so that the engine
     * scopes its idempotency keys apart from every other publisher's, and no bridge sends back what it brought in.
     */
    private record Context(Node node, Publisher publisher, ScheduledExecutorService timer) implements BridgeContext {
        @Override
        public List<PublishResult> publishAll(List<Inbound> messages) {
            List<PublishRequest> requests = new ArrayList<>(messages.size());
            for (Inbound message : messages) {
                requests.add(PublishRequest.of(message.channel(), message.data(), publisher)
                        .withIdempotencyKey(IdempotencyKey.of(message.idempotencyKey())));
            }
            return node.publishAll(requests);
        }

        @Override
        public boolean sharedEngine() {
            return node.sharedEngine();
        }
    }
}
