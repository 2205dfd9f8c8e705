package io.duplex.broker.redis;

import io.duplex.broker.Epochs;
import io.duplex.broker.PublishRequest;
import io.duplex.broker.PublishResult;
import io.duplex.broker.Retention;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * One call of publish.lua: the keys and arguments for several callers' lists of requests (groups), and the results
 * read back per group. publish.lua describes the arguments and what it does with them.
 */
final class PublishScript {
    private static final RedisScript SCRIPT = RedisScript.load("channel.lua", "publish.lua");

    private final int historySize;
    private final Duration historyTtl;
    private final Duration idleTtl;
    private final Duration idempotencyWindow;
    private final Clock clock;

    PublishScript(Retention retention, Duration idleTtl, Clock clock) {
        this.historySize = retention.historySize();
        this.historyTtl = retention.historyTtl();
        this.idempotencyWindow = retention.idempotencyWindow();
        this.idleTtl = idleTtl;
        this.clock = clock;
    }

    /**
     * Sends the groups in one call, in order. Completes with one list per group: a result per request up to the first
     * answered {@link PublishResult.Outcome#KEY_REUSED}, which ends its group (the rest of it was not published).
     */
    CompletionStage<List<List<PublishResult>>> send(RedisAsyncCommands<String, String> redis, List<List<PublishRequest>> groups) {
        int count = 0;
        for (List<PublishRequest> group : groups) {
            count += group.size();
        }
        long now = clock.millis();
        String[] keys = new String[1 + 3 * count];
        String[] args = new String[5 + 7 * count];
        keys[0] = RedisKeys.CHANNELS;
        args[0] = Long.toString(now);
        args[1] = Integer.toString(historySize);
        args[2] = Long.toString(historyTtl.toMillis());
        args[3] = Long.toString(idleTtl.toMillis());
        args[4] = Long.toString(idempotencyWindow.toMillis());
        int i = 0;
        for (List<PublishRequest> group : groups) {
            for (int g = 0; g < group.size(); g++, i++) {
                PublishRequest request = group.get(g);
                ChannelName channel = request.channel();
                keys[1 + 3 * i] = RedisKeys.meta(channel);
                keys[2 + 3 * i] = RedisKeys.history(channel);
                keys[3 + 3 * i] = request.idempotent() ? RedisKeys.idempotency(request.scopedKey()) : keys[1 + 3 * i];
                args[5 + 7 * i] = channel.value();
                args[6 + 7 * i] = request.data().json();
                args[7 + 7 * i] = RedisKeys.topic(channel);
                args[8 + 7 * i] = Epochs.random();
                args[9 + 7 * i] = request.idempotent() ? request.fingerprint() : "";
                args[10 + 7 * i] = PublisherText.encode(request.publisher());
                args[11 + 7 * i] = g == 0 ? "1" : "0";
            }
        }
        return SCRIPT.runAsync(redis, keys, args).thenApply(reply -> results(groups, reply));
    }

    private static List<List<PublishResult>> results(List<List<PublishRequest>> groups, List<Object> reply) {
        List<List<PublishResult>> results = new ArrayList<>(groups.size());
        int i = 0;
        for (List<PublishRequest> group : groups) {
            List<PublishResult> answers = new ArrayList<>(group.size());
            for (PublishRequest request : group) {
                List<?> entry = (List<?>) reply.get(i++);
                String status = (String) entry.get(0);
                if ("s".equals(status)) {
                    continue;
                }
                answers.add(result(request, status, entry));
            }
            results.add(answers);
        }
        return results;
    }

    /** One message's {@code {status, epoch, offset, time}}. */
    private static PublishResult result(PublishRequest request, String status, List<?> entry) {
        if ("r".equals(status)) {
            return PublishResult.keyReused();
        }
        ChannelMessage message = new ChannelMessage(request.channel(), (String) entry.get(1), (Long) entry.get(2),
                request.data(), Instant.ofEpochMilli(Long.parseLong((String) entry.get(3))), request.publisher());
        return "d".equals(status) ? PublishResult.duplicate(message) : PublishResult.published(message);
    }
}
