package io.duplex.broker.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script of the engine, run by its SHA-1 (EVALSHA) so that only the hash travels with each call. Redis forgets
 * its scripts when it restarts or fails over; the first call after that gets NOSCRIPT and sends the script itself
 * (EVAL), which also stores it again.
 */
final class RedisScript {
    private final String name;
    private final String source;
    private final String sha;

    private RedisScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha = sha1(source);
    }

    /** The script made of these resources of this package, in order (shared functions first). */
    static RedisScript load(String... resources) {
        StringBuilder source = new StringBuilder();
        for (String resource : resources) {
            try (InputStream in = RedisScript.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("the engine's script " + resource + " is missing from the build");
                }
                source.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new RedisScript(resources[resources.length - 1], source.toString());
    }

    /** Runs the script; its reply is a list (Lua table), possibly nested. */
    List<Object> run(RedisCommands<String, String> commands, String[] keys, String... args) {
        try {
            return commands.evalsha(sha, ScriptOutputType.MULTI, keys, args);
        } catch (RedisNoScriptException e) {
            return commands.eval(source, ScriptOutputType.MULTI, keys, args);
        }
    }

    /**
     * Runs the script without waiting. On NOSCRIPT the script is sent in full from the reply's thread, before the caller
     * learns anything: a caller that sends its next call only once this one completed keeps its calls in order.
     */
    CompletionStage<List<Object>> runAsync(RedisAsyncCommands<String, String> commands, String[] keys, String... args) {
        CompletableFuture<List<Object>> byHash = commands.<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, args)
                .toCompletableFuture();
        return byHash.handle((reply, failure) -> {
            if (failure == null) {
                return byHash;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof RedisNoScriptException) {
                return commands.<List<Object>>eval(source, ScriptOutputType.MULTI, keys, args).toCompletableFuture();
            }
            return byHash;
        }).thenCompose(reply -> reply);
    }

    @Override
    public String toString() {
        return name;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-1, which every Java platform must have", e);
        }
    }
}
