package io.duplex.testing;

import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A protocol v1 client on the JDK's own WebSocket client, for what {@link WsClient} cannot do: wss:// with an
 * SSLContext of the test's choosing, and handshake headers (as a proxy adds them).
 */
public final class JdkWebSocket implements AutoCloseable {
    private final WebSocket socket;
    private final List<JsonObject> frames = new CopyOnWriteArrayList<>();

    private JdkWebSocket(HttpClient client, URI uri, Map<String, String> headers) {
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(WsClient.TIMEOUT);
        headers.forEach(builder::header);
        StringBuilder partial = new StringBuilder();
        try {
            socket = builder.buildAsync(uri, new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                        frames.add(Frames.parse(partial.toString()));
                        partial.setLength(0);
                    }
                    webSocket.request(1);
                    return null;
                }
            }).get(WsClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not connect to " + uri, e);
        }
    }

    /** Opens {@code uri} (ws:// or wss://) with the client's TLS settings and these extra handshake headers. */
    public static JdkWebSocket open(HttpClient client, URI uri, Map<String, String> headers) {
        return new JdkWebSocket(client, uri, headers);
    }

    /** Sends one text frame and waits until it is written. */
    public void send(String text) {
        socket.sendText(text, true).toCompletableFuture().orTimeout(WsClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** Waits for the first frame (received so far or later) that matches. */
    public JsonObject awaitFrame(Predicate<JsonObject> match) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> frames.stream().filter(match).findFirst(), o -> o.isPresent())
                .orElseThrow();
    }

    /** Sends a command with this id and returns the reply that carries it. */
    public JsonObject request(int id, String commandWithoutId) {
        send("{\"id\":" + id + "," + commandWithoutId.substring(1));
        return awaitFrame(f -> f.containsKey("id") && !f.isNull("id") && f.getInt("id") == id);
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
}
