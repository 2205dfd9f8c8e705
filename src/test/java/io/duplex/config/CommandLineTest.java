package io.duplex.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void readsFlagsWithSpaceOrEquals() {
        CommandLine line = CommandLine.parse("--port", "9000", "--history-size=50");
        assertEquals(Map.of(Setting.PORT, "9000", Setting.HISTORY_SIZE, "50"), line.values());
    }

    @Test
    void helpAndVersionAreFlagsWithoutValues() {
        assertTrue(CommandLine.parse("--help").help());
        assertTrue(CommandLine.parse("--version").version());
    }

    @Test
    void unknownOptionsAndMissingValuesAreErrors() {
        ConfigException e = assertThrows(ConfigException.class, () -> CommandLine.parse("--prot", "9000", "--port"));
        assertEquals(2, e.problems().size());
        assertTrue(e.problems().get(0).contains("unknown option '--prot'"));
        assertTrue(e.problems().get(1).contains("--port needs a value"));
    }

    @Test
    void aTrueOrFalseSettingAloneIsASwitch() {
        assertEquals(Map.of(Setting.DEV_TLS, "true", Setting.PORT, "8443"), CommandLine.parse("--dev-tls", "--port", "8443").values());
        assertEquals(Map.of(Setting.PROXY_TRUSTED, "true"), CommandLine.parse("--proxy-trusted").values());
        assertEquals(Map.of(Setting.DEV_TLS, "false"), CommandLine.parse("--dev-tls", "false").values());
        assertEquals(Map.of(Setting.DEV_TLS, "off"), CommandLine.parse("--dev-tls=off").values());
    }

    @Test
    void aSwitchDoesNotSwallowAWordThatIsNotTrueOrFalse() {
        ConfigException e = assertThrows(ConfigException.class, () -> CommandLine.parse("--h2c", "maybe"));
        assertEquals(java.util.List.of("unknown option 'maybe'"), e.problems());
    }

    @Test
    void onlyTrueOrFalseSettingsAreSwitches() {
        ConfigException e = assertThrows(ConfigException.class, () -> CommandLine.parse("--tls-keystore", "--dev-tls"));
        assertTrue(e.problems().get(0).contains("--tls-keystore needs a value"), e.problems()::toString);
    }

    @Test
    void usageListsEverySetting() {
        String usage = CommandLine.usage();
        for (Setting s : Setting.values()) {
            assertTrue(usage.contains(s.flag()) && usage.contains(s.environmentVariable()), s.key());
        }
    }
}
