package io.duplex.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The document the build wrote (the one the WAR serves, see OpenApiIT) passes OpenAPI Generator's own validation, which
 * parses it with swagger-parser and applies the generator's recommendations, with no issue at all.
 */
class OpenApiValidationTest {

    @Test
    void theDocumentValidatesWithNoIssueAndNoRecommendation() throws Exception {
        Path document = Path.of(System.getProperty("duplex.openapi", "target/openapi/openapi.json"));
        Path cli = Path.of(System.getProperty("duplex.openapi.cli", "target/openapi/openapi-generator-cli.jar"));
        assertTrue(Files.isRegularFile(document) && Files.isRegularFile(cli), "run through Maven: the build writes " + document + " and " + cli);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process validate = new ProcessBuilder(java.toString(), "-jar", cli.toString(), "validate", "--recommend", "-i", document.toString())
                .redirectErrorStream(true).start();
        String output = new String(validate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(validate.waitFor(2, TimeUnit.MINUTES), output);
        assertEquals(0, validate.exitValue(), output);
        assertTrue(output.contains("No validation issues detected."), output);
        assertTrue(!output.contains("Warnings:") && !output.contains("Errors:"), output);
    }

    @Test
    void theDocumentIsTheOneTheCodeBuilds() throws Exception {
        Path document = Path.of(System.getProperty("duplex.openapi", "target/openapi/openapi.json"));
        assertEquals(OpenApiSpec.json(), Files.readString(document, StandardCharsets.UTF_8));
    }
}
