package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.RedisServer;
import io.duplex.testing.Rest;
import io.duplex.testing.TcpProxy;
import io.duplex.testing.TestServer;
import io.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One node cut off from Redis while another goes on publishing: the cut-off node's subscribers stay connected, and
 * once the link is back they receive what was published meanwhile, from the channel's history, before anything newer:
 * every message once, in order, no gap.
 */
class RedisPartitionIT {
    private static final Duration BACK = Duration.ofSeconds(20);

    private static RedisServer redis;
    private static TcpProxy link;
    private static TestServer a;
    private static TestServer b;
    private static Rest restA;
    private static Rest restB;

    @BeforeAll
    static void startTwoNodesOneBehindALink() {
        redis = RedisServer.start();
        link = TcpProxy.to(redis.port());
        a = TestServer.start("engine", "redis", "redis.uri", redis.uri(), "publish.rate", "1000000");
        b = TestServer.start("engine", "redis", "redis.uri", "redis://127.0.0.1:" + link.port(), "publish.rate", "1000000");
        restA = new Rest(a.api());
        restB = new Rest(b.api());
    }

    @AfterAll
    static void stopAll() {
        restA.close();
        restB.close();
        a.close();
        b.close();
        link.close();
        redis.close();
    }

    @AfterEach
    void linkIsBack() {
        link.restore();
        await().atMost(BACK).until(() -> restB.healthStatus() == 200);
    }

    @Test
    void messagesPublishedWhileTheNodeWasCutOffArriveWhenItIsBackEvenWithNothingAfterThem() {
        String channel = "it.partition.tail";
        try (WsClient subscriber = WsClient.connect(b.ws())) {
            subscriber.subscribe(channel);
            restA.publish(channel, "1");
            subscriber.awaitMessages(channel, 1);

            link.cut();
            await().atMost(BACK).until(() -> restB.healthStatus() == 503);
            for (int i = 2; i <= 40; i++) {
                restA.publish(channel, String.valueOf(i));
            }
            assertEquals(1, subscriber.messages(channel).size(), "the cut-off node cannot have received them live");
            try (Response refused = restB.post("channels/" + channel + "/messages", "{\"data\":0}")) {
                assertEquals(503, refused.getStatus(), "the cut-off node refuses publishes rather than lose them");
            }

            link.restore();
            // Nothing is published after the link is back: only the node's own check after re-subscribing finds 2..40.
            await().atMost(BACK).until(() -> subscriber.messages(channel).size(), n -> n >= 40);
            List<JsonObject> messages = subscriber.messages(channel);
            assertEquals(LongStream.rangeClosed(1, 40).boxed().toList(), RecoveryIT.offsets(messages));
            assertTrue(subscriber.isOpen(), "recovered in place: the session never had to reconnect");
        }
    }

    @Test
    void whilePublishingGoesOnAcrossTheCutEverySubscriberGetsEveryMessageOnceInOrder() throws Exception {
        String channel = "it.partition.busy";
        int total = 1500;
        try (WsClient onB = WsClient.connect(b.ws()); WsClient onA = WsClient.connect(a.ws())) {
            onB.subscribe(channel);
            onA.subscribe(channel);
            Thread publisher = new Thread(() -> {
                for (int i = 1; i <= total; i++) {
                    restA.publish(channel, String.valueOf(i));
                }
            }, "publisher");
            publisher.start();
            await().atMost(BACK).until(() -> onB.messages(channel).size() >= 200);
            link.cut();
            await().atMost(BACK).until(() -> onA.messages(channel).size() >= 600);
            link.restore();
            publisher.join(BACK.toMillis());

            List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
            for (WsClient subscriber : List.of(onA, onB)) {
                await().atMost(BACK).until(() -> subscriber.messages(channel).size(), n -> n >= total);
                List<JsonObject> messages = subscriber.messages(channel);
                assertEquals(expected, RecoveryIT.offsets(messages));
                assertEquals(expected, messages.stream().map(m -> m.getJsonNumber("data").longValue()).toList());
                assertTrue(subscriber.isOpen());
            }
        }
    }
}
