package io.duplex.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplex.broker.PresenceEntry;
import io.duplex.channel.ChannelName;
import io.duplex.testing.RedisFixture;
import io.duplex.testing.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Presence across nodes: every node lists every node's sessions, and a node that stops refreshing drops out. */
class RedisPresenceTest {
    private static final ChannelName NEWS = ChannelName.of("news");
    private static final PresenceEntry ALICE = new PresenceEntry("s-alice", "alice");
    private static final PresenceEntry ANONYMOUS = new PresenceEntry("s-anon", null);
    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();
    private final RedisServer redis = REDIS.server();
    private RedisNodes nodes;

    @BeforeEach
    void startNodes() {
        nodes = new RedisNodes(redis, Clock.systemUTC());
    }

    @AfterEach
    void closeNodes() {
        nodes.close();
    }

    @Test
    void everyNodeListsTheSessionsOfEveryNode() {
        RedisPresence a = nodes.presence(Duration.ofSeconds(15));
        RedisPresence b = nodes.presence(Duration.ofSeconds(15));
        a.add(NEWS, ALICE);
        b.add(NEWS, ANONYMOUS);
        b.add(ChannelName.of("other"), new PresenceEntry("s-bob", "bob"));
        List<PresenceEntry> both = List.of(ALICE, ANONYMOUS);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.list(NEWS).equals(both) && b.list(NEWS).equals(both));

        a.remove(NEWS, ALICE.session());
        await().atMost(Duration.ofSeconds(5)).until(() -> b.list(NEWS).equals(List.of(ANONYMOUS)));
    }

    @Test
    void theSessionsOfANodeThatStoppedLeaveWithinTheTtlWhileALiveNodesStay() {
        Duration ttl = Duration.ofSeconds(1);
        RedisPresence dying = nodes.presence(ttl);
        RedisPresence living = nodes.presence(ttl);
        dying.add(NEWS, ALICE);
        living.add(NEWS, ANONYMOUS);
        await().atMost(Duration.ofSeconds(5)).until(() -> living.list(NEWS).size() == 2);

        dying.close(); // stops refreshing without removing anything, as a node killed with -9 would
        await().atMost(Duration.ofSeconds(5)).until(() -> living.list(NEWS).equals(List.of(ANONYMOUS)));
        // The living node's entry outlives its TTL several times over because the node keeps refreshing it.
        await().during(Duration.ofMillis(3500)).atMost(Duration.ofSeconds(5))
                .until(() -> living.list(NEWS).equals(List.of(ANONYMOUS)));
    }

    @Test
    void aChannelNobodyIsPresentInListsNobody() {
        assertEquals(List.of(), nodes.presence(Duration.ofSeconds(15)).list(ChannelName.of("empty")));
    }
}
