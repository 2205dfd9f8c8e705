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
    void usageListsEverySetting() {
        String usage = CommandLine.usage();
        for (Setting s : Setting.values()) {
            assertTrue(usage.contains(s.flag()) && usage.contains(s.environmentVariable()), s.key());
        }
    }
}
