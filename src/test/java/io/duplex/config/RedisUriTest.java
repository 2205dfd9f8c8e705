package io.duplex.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A password in redis.uri is never shown: not by the URI, not by the configuration, not by a configuration error. */
class RedisUriTest {

    @Test
    void theEngineAndItsRedisAreConfigured() {
        DuplexConfig config = ConfigLoader.load(ConfigSource.flags(Map.of(Setting.ENGINE, "redis",
                Setting.REDIS_URI, "rediss://app:s3cret@redis.example:6380/2", Setting.PRESENCE_TTL, "5s")));
        assertEquals("redis", config.engine());
        assertEquals("rediss://app:s3cret@redis.example:6380/2", config.redisUri().value());
        assertEquals(java.time.Duration.ofSeconds(5), config.presenceTtl());
        assertFalse(config.toString().contains("s3cret"), config::toString);
    }

    @Test
    void theDefaultIsTheLocalRedis() {
        assertEquals("redis://127.0.0.1:6379", ConfigLoader.load().redisUri().value());
    }

    @Test
    void theMaskedUriKeepsTheUserAndHidesThePassword() {
        assertEquals("redis://app:***@host:6379/0", new RedisUri("redis://app:s3cret@host:6379/0").masked());
        assertEquals("redis://***@host", new RedisUri("redis://:s3cret@host").toString());
        assertEquals("redis://***@host", new RedisUri("redis://s3cret@host").toString(), "Lettuce reads a lone userinfo as the password");
        assertEquals("redis-sentinel://***@h1:26379,h2:26379/0#mymaster",
                new RedisUri("redis-sentinel://s3cret@h1:26379,h2:26379/0#mymaster").masked());
        assertEquals("redis://host:6379", new RedisUri("redis://host:6379").masked());
        assertEquals("redis://app:***@host", new RedisUri("redis://app:p@ss@host").masked(), "everything up to the last @");
    }

    @Test
    void anInvalidUriIsReportedWithoutItsPassword() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(ConfigSource.flags(Map.of(
                Setting.REDIS_URI, "redis://app:s3cret pw@host:6379"))));
        assertFalse(e.getMessage().contains("s3cret"), e::getMessage);
        assertTrue(e.getMessage().contains("redis.uri = 'redis://app:***@host:6379' (from --redis-uri) is not valid"), e::getMessage);
        assertTrue(e.getMessage().contains("(illegal character in authority)"), e::getMessage);
    }

    @Test
    void aSchemeLettuceDoesNotKnowIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(ConfigSource.environment(Map.of(
                "DUPLEX_REDIS_URI", "http://app:s3cret@host"))));
        assertFalse(e.getMessage().contains("s3cret"), e::getMessage);
        assertTrue(e.getMessage().contains("the scheme must be one of redis, rediss, redis-sentinel"), e::getMessage);
    }

    @Test
    void whatLettuceWouldOnlyFailOnWhenConnectingIsRefusedAtOnceSayingWhat() {
        Map<String, String> bad = Map.of(
                "redis://127.0.0.1:99999", "the port '99999' of 127.0.0.1 is not a number from 1 to 65535",
                "redis://app:s3cret@127.0.0.1:abc", "the port 'abc' of 127.0.0.1 is not a number from 1 to 65535",
                "redis://127.0.0.1:6379?timeout=0", "timeout=0 is not a duration above zero",
                "redis://127.0.0.1:6379?timeout=abc", "timeout=abc is not a duration above zero",
                "redis://127.0.0.1:6379/zero", "the database '/zero' is not a number",
                "redis-sentinel://s3cret@h1:26379,h2:26379", "a Sentinel URI names its master after '#'",
                "redis-sentinel://h1:26379,:26379#m", "no host in ':26379'");
        bad.forEach((uri, reason) -> {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ConfigLoader.load(ConfigSource.flags(Map.of(Setting.REDIS_URI, uri))), uri);
            assertTrue(e.getMessage().contains(reason), e::getMessage);
            assertFalse(e.getMessage().contains("s3cret"), e::getMessage);
        });
    }

    @Test
    void theFormsLettuceReadsAreAccepted() {
        for (String uri : new String[] {"redis://127.0.0.1", "redis://h:6379/2?timeout=5s", "rediss://app:pw@h:6380/0?timeout=500ms",
                "redis-sentinel://pw@h1:26379,h2#mymaster", "redis://[::1]:6379", "redis://h?database=3&clientName=duplex",
                "redis-socket:///var/run/redis.sock"}) {
            assertEquals(uri, ConfigLoader.load(ConfigSource.flags(Map.of(Setting.REDIS_URI, uri))).redisUri().value(), uri);
        }
    }
}
