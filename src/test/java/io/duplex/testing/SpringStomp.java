package io.duplex.testing;

import static org.awaitility.Awaitility.await;

import java.lang.reflect.Type;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.MappingJackson2MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/**
 * Spring's STOMP client as a Spring application uses it: {@link WebSocketStompClient} on the standard JSR-356 client
 * (Tyrus, on the test class path), with String and Jackson converters, heart-beats and receipts on a task scheduler.
 * It records what the server sent: ERROR frames, transport failures, and each subscription's messages.
 */
public final class SpringStomp implements AutoCloseable {
    private final ThreadPoolTaskScheduler scheduler;
    private final WebSocketStompClient client;
    private final Recorder recorder = new Recorder();
    private StompSession session;

    /** One message a subscription received: its headers and its payload, converted as its content-type says. */
    public record Received(StompHeaders headers, Object payload) {
    }

    /** What the session handler saw besides messages. */
    private static final class Recorder extends StompSessionHandlerAdapter {
        final List<StompHeaders> errors = new CopyOnWriteArrayList<>();
        final List<String> errorBodies = new CopyOnWriteArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        volatile StompHeaders connected;

        @Override
        public void afterConnected(StompSession session, StompHeaders headers) {
            connected = headers;
        }

        @Override
        public Type getPayloadType(StompHeaders headers) {
            return String.class;
        }

        @Override
        public void handleFrame(StompHeaders headers, Object payload) {
            // Only ERROR frames reach the session handler.
            errors.add(headers);
            errorBodies.add(String.valueOf(payload));
        }

        @Override
        public void handleException(StompSession session, StompCommand command, StompHeaders headers, byte[] payload, Throwable e) {
            failures.add(e);
        }

        @Override
        public void handleTransportError(StompSession session, Throwable e) {
            failures.add(e);
        }
    }

    private SpringStomp(long[] heartBeat) {
        scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(2);
        scheduler.setThreadNamePrefix("spring-stomp-");
        scheduler.initialize();
        client = new WebSocketStompClient(new StandardWebSocketClient());
        client.setMessageConverter(new CompositeMessageConverter(List.of(new StringMessageConverter(), new MappingJackson2MessageConverter())));
        client.setTaskScheduler(scheduler);
        client.setDefaultHeartbeat(heartBeat);
        client.setReceiptTimeLimit(10_000);
    }

    /** Connects to {@code ws://…/stomp} with these CONNECT headers and heart-beat; waits for CONNECTED. */
    public static SpringStomp connect(URI stomp, Map<String, String> connectHeaders, long[] heartBeat) {
        SpringStomp stompClient = new SpringStomp(heartBeat);
        StompHeaders headers = new StompHeaders();
        connectHeaders.forEach(headers::add);
        try {
            stompClient.session = stompClient.client.connectAsync(stomp.toString(), new WebSocketHttpHeaders(), headers, stompClient.recorder)
                    .get(10, TimeUnit.SECONDS);
            stompClient.session.setAutoReceipt(true);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            // Refused: the ERROR frame (if any) is in errors(), and why the client gave up in failures().
            stompClient.recorder.failures.add(e);
            stompClient.session = null;
        }
        return stompClient;
    }

    /** Connects with the given passcode (a token) or none, and heart-beats off. */
    public static SpringStomp connect(URI stomp, String passcode) {
        return connect(stomp, passcode == null ? Map.of() : Map.of("passcode", passcode), new long[] {0, 0});
    }

    public StompSession session() {
        return session;
    }

    /**
     * The CONNECTED frame's headers. Spring completes the connect's future before it calls {@code afterConnected}, so
     * they may be recorded a moment after {@link #connect} returned (StompIT read null once).
     */
    public StompHeaders connected() {
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.connected != null);
        return recorder.connected;
    }

    public List<StompHeaders> errors() {
        return recorder.errors;
    }

    public List<String> errorBodies() {
        return recorder.errorBodies;
    }

    public List<Throwable> failures() {
        return recorder.failures;
    }

    /** Subscribes; the returned list fills with what arrives. Waits for the server's RECEIPT. */
    public List<Received> subscribe(String destination, Class<?> payloadType) {
        return subscription(destination, payloadType).received();
    }

    /** A subscription and what it received. */
    public record Subscribed(StompSession.Subscription handle, List<Received> received) {
    }

    /** Subscribes, keeping the subscription's handle (to unsubscribe). Waits for the server's RECEIPT. */
    public Subscribed subscription(String destination, Class<?> payloadType) {
        List<Received> received = new CopyOnWriteArrayList<>();
        StompSession.Subscription subscription = session.subscribe(destination, new StompFrameHandler() {
            @Override
            public Type getPayloadType(StompHeaders headers) {
                return payloadType;
            }

            @Override
            public void handleFrame(StompHeaders headers, Object payload) {
                received.add(new Received(headers, payload));
            }
        });
        awaitReceipt(subscription);
        return new Subscribed(subscription, received);
    }

    /** Waits for the RECEIPT of a frame sent with auto-receipt on. */
    public static void awaitReceipt(StompSession.Receiptable receiptable) {
        java.util.concurrent.atomic.AtomicBoolean got = new java.util.concurrent.atomic.AtomicBoolean();
        receiptable.addReceiptTask(() -> got.set(true));
        await().atMost(Duration.ofSeconds(10)).untilTrue(got);
    }

    @Override
    public void close() {
        if (session != null && session.isConnected()) {
            session.disconnect();
        }
        client.stop();
        scheduler.shutdown();
    }
}
