package io.duplex.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.broker.HistoryQuery;
import io.duplex.channel.IdempotencyKey;
import io.duplex.broker.PublishRequest;
import io.duplex.broker.PublishResult;
import io.duplex.broker.Publishing;
import io.duplex.broker.Retention;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Door;
import io.duplex.channel.Publisher;
import io.duplex.channel.StreamPosition;
import io.duplex.channel.Payload;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import io.duplex.testing.MutableClock;
import io.duplex.testing.RedisFixture;
import io.duplex.testing.RedisServer;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Publishes share calls of publish.lua (a group commit) and keep every caller's order and answers. */
class PublishBatchesTest {
    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();
    private static final ChannelName NEWS = ChannelName.of("news");
    private static final Retention RETENTION = Retention.of(10_000, Duration.ofMinutes(10));

    private final RedisServer redis = REDIS.server();
    private final MutableClock clock = new MutableClock();
    private RedisNodes nodes;
    private RedisConnections admin;

    @BeforeEach
    void start() {
        nodes = new RedisNodes(redis, clock);
        admin = nodes.connections().use();
        admin.sync().configResetstat();
    }

    @AfterEach
    void stop() {
        admin.release();
        nodes.close();
    }

    @Test
    void publishesSubmittedWhileACallIsUnderWayShareTheNextOneAndKeepTheirOrder() throws Exception {
        RedisBroker broker = nodes.broker(RETENTION);
        int threads = 4;
        int each = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<CompletableFuture<List<PublishResult>>>>> submitted = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ChannelName channel = ChannelName.of("thread-" + t);
            submitted.add(pool.submit(() -> {
                List<CompletableFuture<List<PublishResult>>> results = new ArrayList<>();
                for (int n = 1; n <= each; n++) {
                    results.add(broker.publishAllAsync(List.of(request(channel, n))).toCompletableFuture());
                }
                return results;
            }));
        }
        for (int t = 0; t < threads; t++) {
            List<CompletableFuture<List<PublishResult>>> results = submitted.get(t).get();
            for (int n = 1; n <= each; n++) {
                // Each thread's publishes got its channel's offsets in the order it submitted them.
                assertEquals(n, results.get(n - 1).join().get(0).message().offset());
            }
            List<ChannelMessage> history = broker.history(ChannelName.of("thread-" + t), HistoryQuery.after(0, each)).messages();
            assertEquals(each, history.size());
            for (int n = 1; n <= each; n++) {
                assertEquals(data(n).json(), history.get(n - 1).data().json());
            }
        }
        pool.shutdown();
        long calls = calls("evalsha") + calls("eval");
        assertTrue(calls < threads * each / 2, "1,000 publishes submitted without waiting went in " + calls + " calls");
    }

    @Test
    void aReusedKeyEndsItsOwnGroupAndNotTheOtherCallersInTheCall() {
        RedisBroker broker = nodes.broker(RETENTION);
        IdempotencyKey key = IdempotencyKey.of("order-17");
        PublishRequest first = request(NEWS, 1).withIdempotencyKey(key);
        broker.publishAll(List.of(first));
        PublishScript script = new PublishScript(RETENTION, RedisBroker.IDLE_CHANNEL_TTL, clock);

        List<List<PublishResult>> results = script.send(admin.async(), List.of(
                List.of(request(NEWS, 2).withIdempotencyKey(key), request(NEWS, 3)),
                List.of(request(NEWS, 4)),
                List.of(first, request(NEWS, 5)))).toCompletableFuture().join();

        assertEquals(List.of(PublishResult.Outcome.KEY_REUSED), outcomes(results.get(0)), "the rest of the group is skipped");
        assertEquals(List.of(PublishResult.Outcome.PUBLISHED), outcomes(results.get(1)));
        assertEquals(List.of(PublishResult.Outcome.DUPLICATE, PublishResult.Outcome.PUBLISHED), outcomes(results.get(2)));
        assertEquals(List.of("{\"n\":1}", "{\"n\":4}", "{\"n\":5}"),
                broker.history(NEWS, HistoryQuery.after(0, 10)).messages().stream().map(m -> m.data().json()).toList());
    }

    @Test
    void aCallsMessagesReachEverySubscribedNodeExactlyAndInOrderWithOneOffsetWriteForSeveral() {
        RedisBroker subscriber = nodes.broker(RETENTION);
        List<ChannelMessage> received = new CopyOnWriteArrayList<>();
        subscriber.start(received::add);
        subscriber.subscribe(NEWS);
        subscriber.position(NEWS);
        PublishScript script = new PublishScript(RETENTION, RedisBroker.IDLE_CHANNEL_TTL, clock);
        ChannelName other = ChannelName.of("other");
        Publisher user = Publisher.of(Door.WEBSOCKET, "zoë\nline two");

        List<List<PublishResult>> results = script.send(admin.async(), List.of(
                List.of(PublishRequest.of(NEWS, Payload.stored("{\"t\":\"café ☕ 𝄞\"}"), user), request(other, 1)),
                List.of(request(NEWS, 2), PublishRequest.of(NEWS, Payload.stored("{\"t\":\"日本語\"}"), Publishing.TEST))))
                .toCompletableFuture().join();

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
        assertEquals(List.of(results.get(0).get(0).message(), results.get(1).get(0).message(), results.get(1).get(1).message()),
                received, "the three messages of news, as published, and nothing of the channel not subscribed");
        assertEquals(List.of(1L, 2L, 3L), received.stream().map(ChannelMessage::offset).toList());
        // The channel's latest offset is written once, after the call's last message of it.
        assertEquals(new StreamPosition(received.get(0).epoch(), 3), subscriber.position(NEWS));
        assertEquals(new StreamPosition(results.get(0).get(1).message().epoch(), 1), subscriber.position(other));
        assertEquals(4, Publishing.publish(subscriber, NEWS, data(4)).offset());
    }

    @Test
    void aRedisThatForgotTheScriptStillGetsThePublishesInTheOrderSubmitted() {
        RedisBroker broker = nodes.broker(RETENTION);
        Publishing.publish(broker, NEWS, data(0));
        admin.sync().scriptFlush();

        List<CompletableFuture<List<PublishResult>>> results = new ArrayList<>();
        for (int n = 1; n <= 300; n++) {
            results.add(broker.publishAllAsync(List.of(request(NEWS, n))).toCompletableFuture());
        }
        for (int n = 1; n <= 300; n++) {
            assertEquals(n + 1, results.get(n - 1).join().get(0).message().offset());
        }
        assertTrue(calls("eval") >= 1, "the script was sent in full again");
    }

    @Test
    void whenACallTimesOutThePublishesWaitingBehindItFailUnsent() {
        RedisBroker broker = nodes.broker(RETENTION);
        Publishing.publish(broker, NEWS, data(0));
        // Redis takes no write for longer than the engine's 2 s timeout: the call under way times out.
        admin.sync().clientPause(RedisConnections.DEFAULT_TIMEOUT.toMillis() + 1500);
        CompletableFuture<List<PublishResult>> underWay = broker.publishAllAsync(List.of(request(NEWS, 1))).toCompletableFuture();
        List<CompletableFuture<List<PublishResult>>> waiting = new ArrayList<>();
        for (int n = 2; n <= 20; n++) {
            waiting.add(broker.publishAllAsync(List.of(request(NEWS, n))).toCompletableFuture());
        }

        assertTrue(failure(underWay).getMessage().contains("may or may not have been published"), failure(underWay)::getMessage);
        for (CompletableFuture<List<PublishResult>> result : waiting) {
            assertTrue(failure(result).getMessage().endsWith("nothing was published"), failure(result)::getMessage);
        }
        // Once Redis runs again: the call that timed out was published after all, and nothing that waited behind it.
        ChannelMessage next = Publishing.publish(broker, NEWS, data(21));
        assertEquals(List.of("{\"n\":0}", "{\"n\":1}", "{\"n\":21}"),
                broker.history(NEWS, HistoryQuery.after(0, 30)).messages().stream().map(m -> m.data().json()).toList());
        assertEquals(3, next.offset());
    }

    private static DuplexException failure(CompletableFuture<?> result) {
        CompletionException thrown = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, result::join);
        DuplexException failure = assertInstanceOf(DuplexException.class, thrown.getCause());
        assertEquals(ErrorCode.ENGINE_UNAVAILABLE, failure.code());
        return failure;
    }

    private static PublishRequest request(ChannelName channel, int n) {
        return PublishRequest.of(channel, data(n), Publishing.TEST);
    }

    private static Payload data(int n) {
        return Payload.stored("{\"n\":" + n + "}");
    }

    private static List<PublishResult.Outcome> outcomes(List<PublishResult> results) {
        return results.stream().map(PublishResult::outcome).toList();
    }

    /** How many times Redis ran the command since the test began. */
    private long calls(String command) {
        RedisCommands<String, String> sync = admin.sync();
        Matcher calls = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(sync.info("commandstats"));
        return calls.find() ? Long.parseLong(calls.group(1)) : 0;
    }
}
