package io.duplex.testing;

import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * One {@code text/event-stream} as a client reads it, line by line: through the JDK's {@link HttpClient}, or from the
 * output of {@code curl -N}. Collects the events (id, event name, data) and the comments, in order.
 */
public final class EventStream implements AutoCloseable {
    /** One event as the HTML standard's parser dispatches it; {@code event} is "message" when the stream named none. */
    public record Event(String id, String event, String data) {
        public JsonObject json() {
            return Json.createReader(new StringReader(data)).readObject();
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Runnable closer;
    private volatile boolean ended;
    private volatile int status;
    private volatile Map<String, List<String>> headers = Map.of();
    private volatile HttpClient.Version version;

    private EventStream(Runnable closer) {
        this.closer = closer;
    }

    /** A GET through the JDK's HttpClient with these headers; returns once the response's headers arrived. */
    public static EventStream open(URI uri, Map<String, String> requestHeaders) {
        return open(HttpClient.newHttpClient(), uri, requestHeaders);
    }

    /** A GET through this client (several streams of one HTTP/2 client share its connection). */
    public static EventStream open(HttpClient client, URI uri, Map<String, String> requestHeaders) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        requestHeaders.forEach(request::header);
        HttpResponse<Stream<String>> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Stream<String> body = response.body();
        EventStream stream = new EventStream(body::close);
        stream.status = response.statusCode();
        stream.headers = response.headers().map();
        stream.version = response.version();
        Thread reader = new Thread(() -> {
            try {
                body.forEach(stream::line);
            } catch (RuntimeException e) {
                // closed by the test, or by the server
            } finally {
                stream.ended = true;
            }
        }, "event-stream-reader");
        reader.setDaemon(true);
        reader.start();
        return stream;
    }

    /** {@code curl -N -s} with these arguments; its output is read as the stream. */
    public static EventStream curl(String... arguments) {
        List<String> command = new ArrayList<>(List.of("curl", "-N", "-s", "--no-progress-meter"));
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("curl is needed for this test (src/build/prerequisites.sh installs it)", e);
        }
        EventStream stream = new EventStream(() -> process.destroy());
        stream.status = 200;
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    stream.line(line);
                }
            } catch (IOException e) {
                // destroyed by the test
            } finally {
                stream.ended = true;
            }
        }, "curl-reader");
        reader.setDaemon(true);
        reader.start();
        return stream;
    }

    // The parser's state; only the reader thread touches it.
    private String id;
    private String event;
    private StringBuilder data;

    private void line(String line) {
        lines.add(line);
        if (line.isEmpty()) {
            if (data != null) {
                events.add(new Event(id, event == null ? "message" : event, data.toString()));
            }
            event = null;
            data = null;
            return;
        }
        if (line.startsWith(":")) {
            comments.add(line.substring(1).strip());
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "id" -> id = value;
            case "event" -> event = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> { }
        }
    }

    public int status() {
        return status;
    }

    /** The HTTP version the response came in (null for curl). */
    public HttpClient.Version version() {
        return version;
    }

    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                .map(e -> e.getValue().get(0)).orElse(null);
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    /** The events named {@code message}. */
    public List<Event> messages() {
        return events.stream().filter(e -> e.event().equals("message")).toList();
    }

    public List<String> comments() {
        return List.copyOf(comments);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** Whether the server ended the stream (or the test closed it). */
    public boolean ended() {
        return ended;
    }

    public Event awaitEvent(Predicate<Event> match) {
        await().atMost(WsClient.TIMEOUT).until(() -> events.stream().anyMatch(match));
        return events.stream().filter(match).findFirst().orElseThrow();
    }

    public List<Event> awaitMessages(int count) {
        await().atMost(WsClient.TIMEOUT).until(() -> messages().size() >= count);
        return messages();
    }

    public void awaitEnd() {
        await().atMost(WsClient.TIMEOUT).until(() -> ended);
    }

    @Override
    public void close() {
        closer.run();
    }
}
