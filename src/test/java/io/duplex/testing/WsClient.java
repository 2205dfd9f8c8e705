package io.duplex.testing;

import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;

/**
 * A protocol v1 client for tests, on Tyrus's standard {@code jakarta.websocket} client. It records every
 * frame it receives, in order, and the close reason; waiting is always on a condition, never on time.
 */
public final class WsClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ClientManager CLIENT = sharedClient();

    private final Session session;
    private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private final AtomicLong ids = new AtomicLong();

    private static ClientManager sharedClient() {
        ClientManager client = new LastingExecutors();
        client.getProperties().put(ClientProperties.SHARED_CONTAINER, true);
        return client;
    }

    /**
     * Tyrus's client shuts its executors down whenever its last session ends, and a session still using them then
     * fails: a client whose send made the server close the connection (1009) had the close shut them down before its
     * own {@code sendText} returned, and {@code sendText} then failed rescheduling its idle timer on the dead executor
     * ({@code RejectedExecutionException} in CI, WebSocketContractIT). These executors live as long as the test JVM.
     */
    private static final class LastingExecutors extends ClientManager {
        private static final ExecutorService WORK = Executors.newCachedThreadPool(LastingExecutors::daemon);
        private static final ScheduledExecutorService TIMERS = Executors.newScheduledThreadPool(1, LastingExecutors::daemon);

        private static Thread daemon(Runnable task) {
            Thread thread = new Thread(task, "test-tyrus-client");
            thread.setDaemon(true);
            return thread;
        }

        @Override
        public ExecutorService getExecutorService() {
            return WORK;
        }

        @Override
        public ScheduledExecutorService getScheduledExecutorService() {
            return TIMERS;
        }
    }

    private WsClient(URI uri) {
        this(uri, Map.of());
    }

    private WsClient(URI uri, Map<String, String> headers) {
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create().configurator(new ClientEndpointConfig.Configurator() {
            @Override
            public void beforeRequest(Map<String, List<String>> request) {
                headers.forEach((name, value) -> request.put(name, List.of(value)));
            }
        }).build();
        try {
            session = CLIENT.connectToServer(new Endpoint() {
                @Override
                public void onOpen(Session s, EndpointConfig config) {
                    s.setMaxTextMessageBufferSize(16 * 1024 * 1024);
                    s.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> frames.add(Frames.parse(text)));
                }

                @Override
                public void onClose(Session s, CloseReason reason) {
                    closed.complete(reason);
                }
            }, config, uri);
        } catch (Exception e) {
            throw new IllegalStateException("could not connect to " + uri, e);
        }
    }

    /** Opens a connection without sending {@code connect}. */
    public static WsClient open(URI uri) {
        return new WsClient(uri);
    }

    /** Opens a connection with these handshake headers (e.g. Origin) without sending {@code connect}. */
    public static WsClient open(URI uri, Map<String, String> headers) {
        return new WsClient(uri, headers);
    }

    /** Opens a connection and completes {@code connect} with this token. */
    public static WsClient connect(URI uri, String token) {
        return connect(uri, token, Map.of());
    }

    /** Opens a connection with these handshake headers (e.g. Origin) and completes {@code connect} with this token. */
    public static WsClient connect(URI uri, String token, Map<String, String> headers) {
        WsClient client = new WsClient(uri, headers);
        JsonObject reply = client.request("{\"type\":\"connect\",\"token\":\"" + token + "\"}");
        if (!"connected".equals(reply.getString("type"))) {
            client.close();
            throw new IllegalStateException("connect failed: " + reply);
        }
        return client;
    }

    /** Opens a connection and completes {@code connect}. */
    public static WsClient connect(URI uri) {
        WsClient client = new WsClient(uri);
        JsonObject reply = client.request("{\"type\":\"connect\"}");
        if (!"connected".equals(reply.getString("type"))) {
            throw new IllegalStateException("connect failed: " + reply);
        }
        return client;
    }

    public String sessionId() {
        return frames.stream().filter(f -> "connected".equals(f.getString("type", ""))).findFirst()
                .orElseThrow().getString("session");
    }

    /** Sends raw text as one frame. */
    public void send(String text) {
        try {
            session.getBasicRemote().sendText(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void sendBinary(byte[] bytes) {
        try {
            session.getBasicRemote().sendBinary(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends a command (a JSON object without its id, e.g. {@code {"type":"ping"}}), adding a fresh id, and
     * returns the reply that carries that id.
     */
    public JsonObject request(String commandWithoutId) {
        long id = ids.incrementAndGet() + 1000;
        send("{\"id\":" + id + "," + commandWithoutId.substring(1));
        return awaitFrame(f -> f.containsKey("id") && !f.isNull("id") && f.getJsonNumber("id").longValue() == id);
    }

    public JsonObject subscribe(String channel) {
        return request("{\"type\":\"subscribe\",\"channel\":\"" + channel + "\"}");
    }

    public JsonObject subscribe(String channel, String epoch, long offset) {
        return request("{\"type\":\"subscribe\",\"channel\":\"" + channel + "\",\"since\":{\"epoch\":\"" + epoch
                + "\",\"offset\":" + offset + "}}");
    }

    public JsonObject publish(String channel, String dataJson) {
        return request("{\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":" + dataJson + "}");
    }

    /** Waits for the first frame (received so far or later) that matches. */
    public JsonObject awaitFrame(Predicate<JsonObject> match) {
        return await().atMost(TIMEOUT).until(() -> frames.stream().filter(match).findFirst(), o -> o.isPresent()).orElseThrow();
    }

    /** Every frame received so far, in order. */
    public List<JsonObject> frames() {
        return new ArrayList<>(frames);
    }

    /** The {@code message} pushes received so far for a channel, in order. */
    public List<JsonObject> messages(String channel) {
        return frames.stream().filter(f -> "message".equals(f.getString("type", "")) && channel.equals(f.getString("channel", "")))
                .toList();
    }

    /** Waits until at least {@code count} messages of the channel have arrived; returns them all. */
    public List<JsonObject> awaitMessages(String channel, int count) {
        await().atMost(TIMEOUT).until(() -> messages(channel).size() >= count);
        return messages(channel);
    }

    public boolean isOpen() {
        return session.isOpen();
    }

    /** Waits for the connection to close; returns the close code the server sent. */
    public CloseReason awaitClose() {
        try {
            return closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("connection did not close within " + TIMEOUT, e);
        }
    }

    @Override
    public void close() {
        try {
            if (session.isOpen()) {
                session.close();
            }
        } catch (IOException e) {
            // closing a test connection: nothing to do
        }
    }
}
