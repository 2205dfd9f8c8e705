package io.duplex.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void everySettingHasAValidDefault() {
        DuplexConfig config = ConfigLoader.load();
        assertEquals(8080, config.port());
        assertEquals("127.0.0.1", config.host());
        assertEquals(1000, config.historySize());
        assertEquals(Duration.ofMinutes(10), config.historyTtl());
        assertEquals(64 * 1024, config.messageMaxBytes());
        assertEquals(4L * 1024 * 1024, config.outboundQueueBytes());
    }

    @Test
    void earlierSourcesWinOverLaterOnesAndTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("duplex.properties"), "port=7000\nhistory.size=5\nhistory.ttl=30s\n");
        DuplexConfig config = ConfigLoader.load(
                ConfigSource.flags(Map.of(Setting.PORT, "9000")),
                ConfigSource.environment(Map.of("DUPLEX_PORT", "9100", "DUPLEX_HISTORY_SIZE", "7", "DUPLEX_CONFIG", file.toString())));
        assertEquals(9000, config.port(), "flag over environment and file");
        assertEquals(7, config.historySize(), "environment over file");
        assertEquals(Duration.ofSeconds(30), config.historyTtl(), "file over default");
    }

    @Test
    void sizesAndDurationsAreReadAsPeopleWriteThem() {
        DuplexConfig config = ConfigLoader.load(ConfigSource.flags(Map.of(
                Setting.MESSAGE_MAX_BYTES, "32KiB", Setting.FRAME_MAX_BYTES, "1m", Setting.HEARTBEAT_INTERVAL, "1500ms",
                Setting.HISTORY_TTL, "PT2H")));
        assertEquals(32 * 1024, config.messageMaxBytes());
        assertEquals(1024 * 1024, config.frameMaxBytes());
        assertEquals(Duration.ofMillis(1500), config.heartbeatInterval());
        assertEquals(Duration.ofHours(2), config.historyTtl());
    }

    @Test
    void everyWrongValueIsReportedWithItsSourceAtOnce() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
                ConfigSource.flags(Map.of(Setting.PORT, "eighty")),
                ConfigSource.environment(Map.of("DUPLEX_HISTORY_TTL", "forever", "DUPLEX_ENGINE", "carrier-pigeon"))));
        assertEquals(3, e.problems().size(), e.problems()::toString);
        assertTrue(e.problems().contains("port = 'eighty' (from --port) is not valid: expected a whole number from 0 to 65535"),
                e.problems()::toString);
        assertTrue(e.getMessage().contains("(from DUPLEX_HISTORY_TTL)"));
        assertTrue(e.getMessage().contains("expected one of memory"));
    }

    @Test
    void aMisspeltKeyInTheFileIsAnError() throws IOException {
        Path file = Files.writeString(dir.resolve("duplex.properties"), "histroy.size=5\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(ConfigSource.flags(Map.of(Setting.CONFIG, file.toString()))));
        assertTrue(e.getMessage().contains("unknown setting 'histroy.size'"), e.getMessage());
    }

    @Test
    void aMissingFileIsAnError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(ConfigSource.flags(Map.of(Setting.CONFIG, dir.resolve("absent.properties").toString()))));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void settingsThatContradictEachOtherAreRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(ConfigSource.flags(Map.of(
                Setting.MESSAGE_MAX_BYTES, "64KiB", Setting.FRAME_MAX_BYTES, "32KiB"))));
        assertTrue(e.getMessage().contains("frame.max.bytes (32KiB) must be larger than message.max.bytes (64KiB)"), e.getMessage());
    }

    @Test
    void namesFollowOneRule() {
        assertEquals("--history-size", Setting.HISTORY_SIZE.flag());
        assertEquals("DUPLEX_HISTORY_SIZE", Setting.HISTORY_SIZE.environmentVariable());
        assertEquals("duplex.history.size", Setting.HISTORY_SIZE.property());
    }

    @Test
    void productionModeNamesEverythingItMisses() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(ConfigSource.flags(Map.of(Setting.MODE, "production"))));
        assertEquals(java.util.List.of("production mode needs a token key (token.hmac.secret, token.public.key or token.jwks) and an API key (api.key)"),
                e.problems());
        DuplexConfig config = ConfigLoader.load(ConfigSource.environment(Map.of("DUPLEX_MODE", "production",
                "DUPLEX_TOKEN_HMAC_SECRET", "0123456789abcdef0123456789abcdef", "DUPLEX_API_KEY", "first-key-0123456789, second-key-0123456789")));
        assertEquals(Mode.PRODUCTION, config.mode());
        assertEquals(2, config.auth().apiKeys().size(), "several keys, for rotation");
        assertTrue(config.auth().tokens() && config.auth().api());
    }

    @Test
    void aBadSecretIsReportedWithoutItsValue() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(ConfigSource.flags(Map.of(
                Setting.TOKEN_HMAC_SECRET, "short-secret-xyz", Setting.API_KEY, "tiny-key-abc"))));
        assertEquals(2, e.problems().size());
        for (String problem : e.problems()) {
            assertTrue(problem.contains("(secret)"), problem);
            assertTrue(!problem.contains("short-secret-xyz") && !problem.contains("tiny-key-abc"), problem);
        }
        assertEquals("(secret)", new Secret("hunter2").toString());
    }

    @Test
    void tlsSettingsThatContradictEachOtherAreRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(ConfigSource.flags(Map.of(
                Setting.DEV_TLS, "true", Setting.TLS_KEYSTORE, "server.p12"))));
        assertTrue(e.getMessage().contains("tls.keystore and dev.tls are both set"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load(ConfigSource.flags(Map.of(Setting.TLS_KEY, "key.pem"))));
        assertTrue(e.getMessage().contains("tls.key is set without tls.keystore"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConfigLoader.load(ConfigSource.flags(Map.of(Setting.DEV_TLS, "maybe"))));
        assertTrue(e.getMessage().contains("dev.tls = 'maybe' (from --dev-tls) is not valid: expected true or false"), e.getMessage());
    }
}
