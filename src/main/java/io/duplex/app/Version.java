package io.duplex.app;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of Duplex, as the build wrote it. */
@ApplicationScoped
public class Version {
    private final String value;

    public Version() {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/io/duplex/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        value = properties.getProperty("version", "unknown");
    }

    public String value() {
        return value;
    }
}
