package io.duplex.testing;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One scrape of a node's /metrics, read as Prometheus reads it: parsed by the Prometheus project's own parser (its
 * Python client's, src/test/prometheus/parse.py), never by looking for strings. {@link #lint} runs Prometheus's own
 * linter, {@code promtool check metrics}, on the same text.
 */
public final class Scrape {
    /** One sample: a series' name, its labels, its value. */
    public record Sample(String name, Map<String, String> labels, double value) {
        boolean has(Map<String, String> wanted) {
            return labels.entrySet().containsAll(wanted.entrySet());
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Path PARSER = Path.of("src/test/prometheus/parse.py");

    private final String text;
    private final List<Sample> samples;

    private Scrape(String text, List<Sample> samples) {
        this.text = text;
        this.samples = samples;
    }

    /** GETs {@code metrics} (with {@code Authorization: Bearer credential} unless null); it must answer 200. */
    public static Scrape get(URI metrics, String credential) {
        HttpResponse<String> response = fetch(metrics, credential);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + metrics + " answered " + response.statusCode() + ": " + response.body());
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("text/plain") || !type.contains("version=0.0.4")) {
            throw new AssertionError("GET " + metrics + " answered Content-Type " + type + ", not Prometheus's text format");
        }
        return parse(response.body());
    }

    /** GETs {@code metrics} and returns the raw answer, whatever its status. */
    public static HttpResponse<String> fetch(URI metrics, String credential) {
        HttpRequest.Builder request = HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).GET();
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Parses an exposition with Prometheus's Python client. */
    public static Scrape parse(String text) {
        String json = run(List.of(python(), PARSER.toString()), text);
        List<Sample> samples = new ArrayList<>();
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            JsonArray array = reader.readArray();
            for (JsonValue value : array) {
                JsonObject sample = value.asJsonObject();
                Map<String, String> labels = new LinkedHashMap<>();
                sample.getJsonObject("labels").forEach((k, v) -> labels.put(k, ((jakarta.json.JsonString) v).getString()));
                JsonValue number = sample.get("value");
                double parsed = number.getValueType() == JsonValue.ValueType.STRING
                        ? notFinite(((jakarta.json.JsonString) number).getString())
                        : ((jakarta.json.JsonNumber) number).doubleValue();
                samples.add(new Sample(sample.getString("name"), Map.copyOf(labels), parsed));
            }
        }
        return new Scrape(text, List.copyOf(samples));
    }

    /** Debian's Python, where python3-prometheus-client is installed (a python3 earlier on the PATH may not see it). */
    /** Python's words for the values JSON cannot carry: nan (a gauge that does not know, e.g. a bridge's backlog), inf, -inf. */
    private static double notFinite(String value) {
        switch (value) {
            case "nan":
                return Double.NaN;
            case "inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                throw new AssertionError("parse.py printed a value that is not a number: " + value);
        }
    }

    private static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /**
     * What {@code promtool check metrics} (Prometheus's own linter) says about the names matching {@code prefix}: empty
     * when they follow Prometheus's conventions. Libraries' own meters are theirs to name, so only a prefix is judged.
     */
    public List<String> lint(String prefix) {
        String output = run(List.of("promtool", "check", "metrics"), text, true);
        List<String> problems = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith(prefix)) {
                problems.add(line);
            }
        }
        return problems;
    }

    /** Every sample. */
    public List<Sample> samples() {
        return samples;
    }

    /** The exposition as served. */
    public String text() {
        return text;
    }

    /** Whether any sample has this name. */
    public boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    /**
     * The value of the one sample with this name whose labels include {@code labelPairs} (name, value, name, value…);
     * fails when there is none, or more than one.
     */
    public double value(String name, String... labelPairs) {
        Map<String, String> wanted = pairs(labelPairs);
        List<Sample> found = samples.stream().filter(s -> s.name().equals(name) && s.has(wanted)).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples " + name + wanted + " in the scrape: " + found);
        }
        return found.get(0).value();
    }

    /** The sum of the samples with this name whose labels include {@code labelPairs}; 0 when there is none. */
    public double sum(String name, String... labelPairs) {
        Map<String, String> wanted = pairs(labelPairs);
        return samples.stream().filter(s -> s.name().equals(name) && s.has(wanted)).mapToDouble(Sample::value).sum();
    }

    private static Map<String, String> pairs(String... labelPairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            map.put(labelPairs[i], labelPairs[i + 1]);
        }
        return map;
    }

    private static String run(List<String> command, String input) {
        return run(command, input, false);
    }

    private static String run(List<String> command, String input, boolean anyStatus) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(anyStatus).start();
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            byte[] out;
            byte[] err = new byte[0];
            try (InputStream stdout = process.getInputStream()) {
                out = stdout.readAllBytes();
            }
            if (!anyStatus) {
                try (InputStream stderr = process.getErrorStream()) {
                    err = stderr.readAllBytes();
                }
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish in 30 s");
            }
            if (!anyStatus && process.exitValue() != 0) {
                throw new AssertionError(command + " exited " + process.exitValue() + ": " + new String(err, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(command + " could not run (src/build/prerequisites.sh installs it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
