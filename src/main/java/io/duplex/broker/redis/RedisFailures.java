package io.duplex.broker.redis;

import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;

/**
 * Turns what Lettuce throws into {@code engine_unavailable}, with a message a client can act on. The message names no
 * host (clients need not learn the topology); the engine's own log line names it, once per outage, not per command.
 */
final class RedisFailures {
    private RedisFailures() {
    }

    /** A publish that failed: nothing was stored, or (after a timeout) it cannot be known, and the message says which. */
    static DuplexException publish(RuntimeException e) {
        if (e instanceof RedisCommandTimeoutException) {
            return new DuplexException(ErrorCode.ENGINE_UNAVAILABLE, "the engine (Redis) did not answer in time: the message "
                    + "may or may not have been published; publish it again if it must arrive (subscribers may then see it twice)");
        }
        return new DuplexException(ErrorCode.ENGINE_UNAVAILABLE, reason(e) + ": nothing was published");
    }

    /** A publish that waited behind one that failed, and was never sent. */
    static DuplexException notSent(RuntimeException e) {
        return new DuplexException(ErrorCode.ENGINE_UNAVAILABLE, reason(e) + ": nothing was published");
    }

    /** A read or another request that failed. */
    static DuplexException read(RuntimeException e, String what) {
        return new DuplexException(ErrorCode.ENGINE_UNAVAILABLE, reason(e) + ": cannot read " + what + " now");
    }

    private static String reason(RuntimeException e) {
        if (e instanceof RedisCommandTimeoutException) {
            return "the engine (Redis) did not answer in time";
        }
        if (e instanceof RedisCommandExecutionException refused) {
            // Redis itself answered with an error: out of memory, a read-only replica after a failover, and the like.
            return "the engine (Redis) refused the command (" + refused.getMessage() + ")";
        }
        return "the engine (Redis) is unreachable";
    }
}
