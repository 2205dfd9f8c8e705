package io.duplex.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md lists exactly the settings the code has, with their defaults. */
class ConfigurationDocTest {

    @Test
    void theConfigurationPageHasTheCurrentSettingsTable() throws IOException {
        String page = Files.readString(Path.of("docs/configuration.md"));
        String table = SettingsTable.markdown();
        assertTrue(page.contains(table), "docs/configuration.md is out of date; replace its table with:\n\n" + table);
    }

    @Test
    void theBridgesPageHasTheCurrentTableOfTheBridgeSettings() throws IOException {
        String page = Files.readString(Path.of("docs/bridges.md"));
        String table = SettingsTable.markdown(s -> s.key().startsWith("bridges") || s.key().startsWith("kafka."));
        assertTrue(page.contains(table), "docs/bridges.md is out of date; replace its table with:\n\n" + table);
    }

    @Test
    void theMqttPageHasTheCurrentTableOfTheMqttSettings() throws IOException {
        String page = Files.readString(Path.of("docs/mqtt.md"));
        String table = SettingsTable.markdown(s -> s.key().startsWith("mqtt."));
        assertTrue(page.contains(table), "docs/mqtt.md is out of date; replace its table with:\n\n" + table);
    }
}
