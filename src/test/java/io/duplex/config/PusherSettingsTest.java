package io.duplex.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Pusher apps of pusher.apps: several per node, their options, and mistakes told without the secrets. */
class PusherSettingsTest {

    private static DuplexConfig load(String apps) {
        return ConfigLoader.load(ConfigSource.flags(Map.of(Setting.PUSHER_APPS, apps)));
    }

    @Test
    void severalAppsAreReadWithTheirOptions() {
        DuplexConfig.Pusher pusher = load("1001:app-key:app-secret-1, 1002:other-key:other-secret:connections=500:disabled").pusher();
        assertEquals(2, pusher.apps().size());
        PusherApp first = pusher.appByKey("app-key").orElseThrow();
        assertEquals("1001", first.id());
        assertTrue(first.secret().matches("app-secret-1"));
        assertTrue(first.enabled());
        assertEquals(0, first.maxConnections());
        PusherApp second = pusher.appById("1002").orElseThrow();
        assertFalse(second.enabled());
        assertEquals(500, second.maxConnections());
        assertEquals(10, pusher.clientEventRate());
        assertEquals(10 * 1024, pusher.clientEventMaxBytes());
    }

    @Test
    void noAppsByDefault() {
        assertEquals(List.of(), DuplexConfig.defaults().pusher().apps());
    }

    @Test
    void aWrongAppIsNamedByItsPlaceAndItsSecretIsNeverShown() {
        List<String> problems = assertThrows(ConfigException.class,
                () -> load("1001:app-key:app-secret-1,1002:other-key:short-secret-xyz:connections=many")).problems();
        assertEquals(1, problems.size());
        String problem = problems.get(0);
        assertTrue(problem.contains("(app 2 of 2)"), problem);
        assertFalse(problem.contains("app-secret-1") || problem.contains("short-secret-xyz"), problem);
    }

    @Test
    void twoAppsWithOneIdOrKeyAreRefused() {
        assertThrows(ConfigException.class, () -> load("1:k1:secret-one,1:k2:secret-two"));
        assertThrows(ConfigException.class, () -> load("1:k1:secret-one,2:k1:secret-two"));
    }

    @Test
    void anAppPrintsWithoutItsSecret() {
        PusherApp app = load("1001:app-key:app-secret-1").pusher().apps().get(0);
        assertFalse(app.toString().contains("app-secret-1"));
        assertFalse(app.secret().toString().contains("app-secret-1"));
    }
}
