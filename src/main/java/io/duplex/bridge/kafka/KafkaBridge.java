package io.duplex.bridge.kafka;

import io.duplex.bridge.Bridge;
import io.duplex.bridge.BridgeContext;
import io.duplex.bridge.BridgeCounters;
import io.duplex.bridge.BridgeException;
import io.duplex.bridge.BridgeStatus;
import io.duplex.bridge.BridgeStatus.State;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.config.DuplexConfig;
import io.duplex.config.Durations;
import io.duplex.channel.Publisher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * The Kafka bridge: {@link KafkaInbound} (topics → channels), {@link KafkaOutbound} (channels → a topic), and a watch
 * that asks the cluster every second whether it answers, which is the state /api/health shows and what
 * kafka.out.unavailable=fail goes by. The topics and the consumer group are checked ({@link KafkaChecks}) at start when
 * Kafka answers then, else as soon as it does.
 */
final class KafkaBridge implements Bridge {
    private static final Logger LOG = Logger.getLogger(KafkaBridge.class.getName());
    /** Kafka's client logs every failed connection attempt as a warning, several a second during an outage. */
    private static final Logger KAFKA_CLIENT_LOG = Logger.getLogger("org.apache.kafka");
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    private static final int PROBE_TIMEOUT_MS = 2000;

    private final DuplexConfig.Kafka kafka;
    private final String name;
    private final BridgeCounters counters = new BridgeCounters();
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile State state = State.STARTING;
    private volatile String detail = "starting";
    private volatile boolean checked;
    private volatile long downSinceNanos;
    private KafkaClients clients;
    private Admin admin;
    private KafkaChecks checks;
    private KafkaInbound inbound;
    private KafkaOutbound outbound;
    private ScheduledFuture<?> watch;
    private Thread failing;

    KafkaBridge(DuplexConfig.Kafka kafka, String name) {
        this.kafka = kafka;
        this.name = name;
    }

    @Override
    public void start(BridgeContext context) {
        if (KAFKA_CLIENT_LOG.getLevel() == null) {
            KAFKA_CLIENT_LOG.setLevel(Level.SEVERE); // the bridge says itself, once, when Kafka goes and comes back
        }
        clients = new KafkaClients(kafka, instance());
        try {
            admin = Admin.create(clients.admin());
        } catch (KafkaException e) {
            throw new BridgeException("kafka: " + KafkaChecks.reason(e) + " (kafka.bootstrap.servers=" + clients.servers() + ")");
        }
        checks = new KafkaChecks(kafka, admin, context.sharedEngine());
        firstContact();
        byte[] source = kafka.groupId().getBytes(StandardCharsets.UTF_8);
        if (kafka.outbound()) {
            outbound = new KafkaOutbound(kafka, clients.producer(), name, counters, source, () -> state == State.UP);
            outbound.start();
        }
        if (kafka.inbound()) {
            inbound = new KafkaInbound(kafka, clients.consumer(), context, counters, source, this::failed);
            if (checked) {
                inbound.start();
            }
        }
        watch = context.timer().scheduleWithFixedDelay(this::probe, PROBE_INTERVAL.toMillis(), PROBE_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Tells this node's clients from the other nodes' in the group's member list (client ids): six random hex digits. */
    private static String instance() {
        return String.format("%06x", new java.security.SecureRandom().nextInt(1 << 24));
    }

    /** Waits up to kafka.connect.timeout for the cluster; if it answers, what the configuration names must exist. */
    private void firstContact() {
        long timeout = kafka.connectTimeout().toMillis();
        try {
            Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout)).nodes()
                    .get(timeout + 1000, TimeUnit.MILLISECONDS);
            String problem = checks.run().get(timeout + 10_000, TimeUnit.MILLISECONDS);
            if (problem != null) {
                throw new BridgeException("kafka: " + problem);
            }
            checked = true;
            up(nodes, false);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AuthenticationException || cause instanceof AuthorizationException) {
                throw new BridgeException("kafka: the cluster at " + clients.servers() + " refused the bridge: " + cause.getMessage());
            }
            down("the cluster at " + clients.servers() + " did not answer (" + KafkaChecks.reason(cause) + ")");
        } catch (TimeoutException e) {
            down("the cluster at " + clients.servers() + " did not answer within " + Durations.format(kafka.connectTimeout()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BridgeException("kafka: interrupted while connecting");
        }
        if (state == State.DOWN) {
            LOG.warning(() -> "kafka: " + detail + ": the node starts with the Kafka bridge down (/api/health shows it) and "
                    + "connects when Kafka answers");
        }
    }

    /** Asks the cluster whether it answers; runs on the node's timer, and never blocks it. */
    private void probe() {
        if (inbound != null) {
            inbound.flushLog();
        }
        if (outbound != null) {
            outbound.flushLog();
        }
        if (state == State.FAILED || state == State.STOPPED || !probing.compareAndSet(false, true)) {
            return;
        }
        admin.describeCluster(new DescribeClusterOptions().timeoutMs(PROBE_TIMEOUT_MS)).nodes().whenComplete((nodes, error) -> {
            if (error != null) {
                probing.set(false);
                if (error instanceof AuthenticationException || error instanceof AuthorizationException) {
                    failed(error);
                } else {
                    down("the cluster at " + clients.servers() + " does not answer (" + KafkaChecks.reason(error) + ")");
                }
            } else if (!checked) {
                checks.run().whenComplete((problem, failure) -> {
                    probing.set(false);
                    if (problem != null) {
                        fail(problem);
                    } else if (failure == null) {
                        checked = true;
                        up(nodes, true);
                        if (inbound != null) {
                            inbound.start(); // only now: it joins the group, which the checks had to find without it
                        }
                    }
                });
            } else {
                probing.set(false);
                up(nodes, true);
            }
        });
    }

    private synchronized void up(Collection<Node> nodes, boolean log) {
        if (state == State.FAILED || state == State.STOPPED) {
            return;
        }
        State before = state;
        state = State.UP;
        detail = "connected to " + clients.servers() + " (" + nodes.size() + (nodes.size() == 1 ? " broker)" : " brokers)");
        if (log && before == State.DOWN) {
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - downSinceNanos);
            LOG.info(() -> "kafka: " + detail + " again, after " + seconds + " s away");
        } else if (before == State.STARTING) {
            LOG.info(() -> "kafka: " + detail);
        }
    }

    private synchronized void down(String why) {
        if (state == State.FAILED || state == State.STOPPED) {
            return;
        }
        State before = state;
        detail = why;
        if (before != State.DOWN) {
            downSinceNanos = System.nanoTime();
            state = State.DOWN;
            if (before == State.UP) {
                LOG.warning(() -> "kafka: " + why + "; " + (kafka.outbound() ? (kafka.outBuffered()
                        ? "messages to " + kafka.outChannels() + " wait for it (kafka.out.buffer, kafka.out.timeout)"
                        : "publishes to " + kafka.outChannels() + " are refused with engine_unavailable until it is back")
                        + "; " : "") + "the bridge reconnects by itself");
            }
        }
    }

    /** Something that needs an operator: the bridge stops (its threads end off the caller's thread) and says why. */
    private void failed(Throwable cause) {
        fail(cause instanceof AuthenticationException || cause instanceof AuthorizationException
                ? "the cluster at " + clients.servers() + " refused the bridge: " + cause.getMessage()
                : "the consumer failed: " + cause);
    }

    private synchronized void fail(String problem) {
        if (state == State.FAILED || state == State.STOPPED) {
            return;
        }
        state = State.FAILED;
        detail = problem;
        LOG.severe(() -> "kafka: the bridge stopped: " + problem);
        failing = new Thread(this::stopClients, "duplex-kafka-stop");
        failing.setDaemon(true);
        failing.start();
    }

    @Override
    public BridgeStatus status() {
        String shown = detail;
        if (state == State.UP && inbound != null) {
            shown += "; consuming " + inbound.partitions() + " partition(s) of " + (kafka.inPattern().isPresent()
                    ? "topics matching " + kafka.inPattern().get() : String.join(", ", kafka.inTopics()));
            if (inbound.waitingForEngine()) {
                shown += "; waiting for the engine to take records (tried again each second)";
            }
        }
        if (state == State.UP && outbound != null) {
            shown += "; producing " + kafka.outChannels() + " to " + kafka.outTopic().orElseThrow();
        }
        // Only while connected: the consumer's figure of a cluster it cannot reach is its last word, not the backlog now.
        OptionalLong backlog = state == State.UP && inbound != null ? inbound.backlog() : OptionalLong.empty();
        return new BridgeStatus(name, state, shown, counters.snapshot(kafka.inbound(), kafka.outbound()), backlog);
    }

    @Override
    public void check(ChannelName channel, Publisher publisher) {
        if (outbound != null) {
            outbound.check(channel, publisher);
        }
    }

    @Override
    public void accepted(ChannelMessage message) {
        if (outbound != null) {
            outbound.accepted(message);
        }
    }

    @Override
    public void stop() {
        State before;
        Thread stopper;
        synchronized (this) {
            before = state;
            state = State.STOPPED;
            stopper = failing;
        }
        if (watch != null) {
            watch.cancel(false);
        }
        if (stopper != null) {
            join(stopper);
        }
        if (before != State.FAILED) {
            stopClients();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        detail = "stopped";
    }

    private void stopClients() {
        if (inbound != null) {
            inbound.stop();
        }
        if (outbound != null) {
            outbound.stop();
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
