package io.duplex.config;

import java.util.Map;
import java.util.function.Function;

/** One place settings come from, asked in order of precedence by {@link ConfigLoader}. */
public interface ConfigSource {

    /** The raw value of a setting in this source, or null if the source does not set it. */
    String get(Setting setting);

    /** Where a value of this setting came from, for error messages: {@code "--port"}, {@code "DUPLEX_PORT"}. */
    String origin(Setting setting);

    /** Command-line flags, as parsed by {@link CommandLine}. */
    static ConfigSource flags(Map<Setting, String> values) {
        return new ConfigSource() {
            @Override
            public String get(Setting setting) {
                return values.get(setting);
            }

            @Override
            public String origin(Setting setting) {
                return setting.flag();
            }
        };
    }

    /** Servlet context parameters ({@code duplex.port}), through the container's lookup function. */
    static ConfigSource contextParameters(Function<String, String> initParameter) {
        return new ConfigSource() {
            @Override
            public String get(Setting setting) {
                return initParameter.apply(setting.property());
            }

            @Override
            public String origin(Setting setting) {
                return "context parameter " + setting.property();
            }
        };
    }

    /** JVM system properties ({@code -Dduplex.port=9000}). */
    static ConfigSource systemProperties() {
        return new ConfigSource() {
            @Override
            public String get(Setting setting) {
                return System.getProperty(setting.property());
            }

            @Override
            public String origin(Setting setting) {
                return "system property " + setting.property();
            }
        };
    }

    /** Environment variables ({@code DUPLEX_PORT=9000}). */
    static ConfigSource environment(Map<String, String> env) {
        return new ConfigSource() {
            @Override
            public String get(Setting setting) {
                return env.get(setting.environmentVariable());
            }

            @Override
            public String origin(Setting setting) {
                return setting.environmentVariable();
            }
        };
    }
}
