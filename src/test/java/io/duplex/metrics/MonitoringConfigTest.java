package io.duplex.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The monitoring the repository ships (src/monitoring) is what Prometheus accepts, and its alerts fire when they
 * should: checked by Prometheus's own promtool, never by eye. The Grafana dashboard is a well-formed import whose every
 * panel asks Prometheus something (HealthIT checks that each metric it names is one a node serves).
 */
class MonitoringConfigTest {
    private static final Path DIR = Path.of("src/monitoring");

    private static String promtool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool finished");
        assertEquals(0, process.exitValue(), String.join(" ", command) + " said:\n" + output);
        return output;
    }

    @Test
    void prometheusAcceptsTheScrapeConfigurationAndTheAlertRules() throws Exception {
        assertTrue(promtool("check", "config", "prometheus.yml").contains("SUCCESS: 1 rule files found"));
        assertTrue(promtool("check", "rules", "alerts.yml").contains("SUCCESS: 7 rules found"));
    }

    @Test
    void theAlertsFireWhenTheirUnitTestsSayAndOnlyThen() throws Exception {
        assertTrue(promtool("test", "rules", "alerts.test.yml").contains("SUCCESS"));
    }

    @Test
    void theDashboardIsAGrafanaImportWhosePanelsAllQueryPrometheus() throws IOException {
        JsonObject dashboard;
        try (JsonReader reader = Json.createReader(Files.newBufferedReader(DIR.resolve("grafana-dashboard.json")))) {
            dashboard = reader.readObject();
        }
        assertEquals("duplex-nodes", dashboard.getString("uid"));
        assertEquals("DS_PROMETHEUS", dashboard.getJsonArray("__inputs").getJsonObject(0).getString("name"));
        Set<Integer> ids = new HashSet<>();
        int queries = 0;
        for (JsonValue value : dashboard.getJsonArray("panels")) {
            JsonObject panel = value.asJsonObject();
            assertTrue(ids.add(panel.getInt("id")), "panel ids are unique: " + panel.getInt("id"));
            if (panel.getString("type").equals("row")) {
                continue;
            }
            assertEquals("${DS_PROMETHEUS}", panel.getJsonObject("datasource").getString("uid"), panel.getString("title"));
            assertFalse(panel.getJsonArray("targets").isEmpty(), panel.getString("title") + " has a query");
            for (JsonValue target : panel.getJsonArray("targets")) {
                String expr = target.asJsonObject().getString("expr");
                assertTrue(expr.contains("$instance"), panel.getString("title") + ": every query follows the node picker: " + expr);
                queries++;
            }
        }
        assertTrue(queries >= 30, queries + " queries");
    }
}
