package io.duplex.broker.redis;

import io.duplex.broker.PublishRequest;
import io.duplex.broker.PublishResult;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import io.lettuce.core.RedisException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A node's publishes on their way to Redis: one call of publish.lua at a time, each carrying every publish that queued
 * while the one before it ran (a group commit). At a trickle a publish goes out alone, at once; under load a call
 * carries many, and a publish costs Redis, Lettuce and the node a share of one round trip instead of a round trip of
 * its own (docs/performance.md: "Redis: a call per round trip, not per publish").
 *
 * <p>Order: calls go out in the order publishes were submitted, the next only once the one before it was answered,
 * and Redis runs each whole; so offsets follow the order of submission, whatever thread submitted. A call Redis
 * answers with NOSCRIPT (it restarted and forgot the script) is sent again in full before the next goes out
 * ({@link RedisScript#runAsync}).
 *
 * <p>A call that fails fails its publishes (after a timeout they may or may not have been published, and their
 * error says so), and with them every publish still waiting: those were never sent, and Redis is in trouble.
 */
final class PublishBatches {
    /**
     * The most requests one call carries, unless a single caller's list is longer (it goes whole, as the REST API's
     * batch did before): bounds how long one script keeps Redis from every other client.
     */
    static final int REQUESTS_PER_CALL = 100;

    private record Pending(List<PublishRequest> requests, CompletableFuture<List<PublishResult>> result) {
    }

    private final PublishScript script;
    private final RedisConnections redis;
    /** Publishes not sent yet. Guarded by this. */
    private final Deque<Pending> waiting = new ArrayDeque<>();
    /** Whether a call is under way: its completion sends the next. Guarded by this. */
    private boolean sending;
    /** Guarded by this. */
    private boolean closed;

    PublishBatches(PublishScript script, RedisConnections redis) {
        this.script = script;
        this.redis = redis;
    }

    /** Queues the requests as one group (see {@link PublishScript#send}); the future completes with its results. */
    CompletableFuture<List<PublishResult>> submit(List<PublishRequest> requests) {
        Pending pending = new Pending(requests, new CompletableFuture<>());
        List<Pending> call;
        synchronized (this) {
            if (closed) {
                pending.result().completeExceptionally(new DuplexException(ErrorCode.ENGINE_UNAVAILABLE,
                        "the node is shutting down: nothing was published"));
                return pending.result();
            }
            waiting.add(pending);
            if (sending) {
                return pending.result();
            }
            sending = true;
            call = take();
        }
        sendFrom(call);
        return pending.result();
    }

    /** Fails what has not been sent; what is under way ends with the connection. */
    void close() {
        List<Pending> unsent;
        synchronized (this) {
            closed = true;
            unsent = new ArrayList<>(waiting);
            waiting.clear();
        }
        DuplexException shutDown = new DuplexException(ErrorCode.ENGINE_UNAVAILABLE, "the node is shutting down: nothing was published");
        unsent.forEach(p -> p.result().completeExceptionally(shutDown));
    }

    /** Sends calls until one is under way (its completion carries on from there) or nothing waits. */
    private void sendFrom(List<Pending> first) {
        List<Pending> call = first;
        while (call != null) {
            List<Pending> sent = call;
            CompletableFuture<List<List<PublishResult>>> reply = start(sent);
            if (!reply.isDone()) {
                reply.whenComplete((results, failure) -> sendFrom(finish(sent, results, failure)));
                return;
            }
            // Answered at once: refused (not connected), or a test's engine. No recursion: the loop carries on.
            call = reply.handle((results, failure) -> finish(sent, results, failure)).join();
        }
    }

    private CompletableFuture<List<List<PublishResult>>> start(List<Pending> call) {
        List<List<PublishRequest>> groups = new ArrayList<>(call.size());
        for (Pending pending : call) {
            groups.add(pending.requests());
        }
        try {
            return script.send(redis.async(), groups).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Tells the callers of a call that ended, in order; returns the next call to send, or null when nothing waits. */
    private List<Pending> finish(List<Pending> call, List<List<PublishResult>> results, Throwable failure) {
        List<Pending> unsent = List.of();
        if (failure != null) {
            RuntimeException error = publishFailure(failure);
            call.forEach(p -> p.result().completeExceptionally(error));
            synchronized (this) {
                unsent = new ArrayList<>(waiting);
                waiting.clear();
            }
            RuntimeException notSent = unsentFailure(failure);
            unsent.forEach(p -> p.result().completeExceptionally(notSent));
        } else {
            for (int i = 0; i < call.size(); i++) {
                call.get(i).result().complete(results.get(i));
            }
        }
        synchronized (this) {
            List<Pending> next = waiting.isEmpty() ? null : take();
            sending = next != null;
            return next;
        }
    }

    /** The next call: the oldest waiting publishes, up to {@link #REQUESTS_PER_CALL} unless the first alone is more. */
    private List<Pending> take() {
        List<Pending> call = new ArrayList<>();
        int requests = 0;
        while (!waiting.isEmpty() && (call.isEmpty() || requests + waiting.peek().requests().size() <= REQUESTS_PER_CALL)) {
            Pending next = waiting.poll();
            call.add(next);
            requests += next.requests().size();
        }
        return call;
    }

    private static RuntimeException publishFailure(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof RedisException redisFailure) {
            return RedisFailures.publish(redisFailure);
        }
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }

    private static RuntimeException unsentFailure(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof RedisException redisFailure) {
            return RedisFailures.notSent(redisFailure);
        }
        return new DuplexException(ErrorCode.ENGINE_UNAVAILABLE, "the engine failed the publishes sent before this one: nothing was published");
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
