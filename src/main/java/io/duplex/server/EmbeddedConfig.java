package io.duplex.server;

import io.duplex.config.CommandLine;
import io.duplex.config.ConfigException;
import io.duplex.config.ConfigLoader;
import io.duplex.config.ConfigSource;
import io.duplex.config.DuplexConfig;
import io.duplex.config.Mode;
import io.duplex.config.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configuration as the embedded server reads it: what {@link ConfigLoader} checks for every deployment,
 * and what only holds where Duplex owns the connector. Production mode needs TLS here (its own certificate, or
 * a proxy in front that terminates TLS); in a servlet container TLS is the container's, so that check is not
 * in ConfigLoader.
 */
final class EmbeddedConfig {
    static final String NEEDS_TLS = "production mode needs TLS: tls.keystore (--tls-keystore, with --tls-password), "
            + "or proxy.trusted (--proxy-trusted true) behind a proxy that terminates TLS";

    /**
     * Stand-ins for the credentials production mode requires, consulted after the operator's sources (and
     * before the --config file). Only ever used to judge TLS when the real credentials are missing too; never
     * to run a node.
     */
    private static final ConfigSource STAND_IN_CREDENTIALS = ConfigSource.flags(Map.of(
            Setting.TOKEN_HMAC_SECRET, "stand-in-token-key-used-only-to-judge-tls",
            Setting.API_KEY, "stand-in-api-key-used-only-to-judge-tls"));

    private EmbeddedConfig() {
    }

    static DuplexConfig load(CommandLine commandLine) {
        ConfigSource[] sources = {ConfigSource.flags(commandLine.values()), ConfigSource.systemProperties(),
            ConfigSource.environment(System.getenv())};
        DuplexConfig config;
        try {
            config = ConfigLoader.load(sources);
        } catch (ConfigException e) {
            throw withTlsProblem(e, sources);
        }
        if (needsTls(config)) {
            throw new ConfigException(NEEDS_TLS);
        }
        return config;
    }

    private static boolean needsTls(DuplexConfig config) {
        return config.mode() == Mode.PRODUCTION && !config.tls().enabled() && !config.tls().proxyTrusted();
    }

    /**
     * ConfigLoader stops at its own production checks (a token key, an API key), before TLS could be judged.
     * So that a node started with everything missing names everything missing at once, the settings are read
     * again with stand-in credentials: if that succeeds, the settings are otherwise usable and show whether TLS is
     * missing as well. If it fails, other problems come first, and TLS is judged once they are fixed.
     */
    private static ConfigException withTlsProblem(ConfigException problem, ConfigSource[] sources) {
        ConfigSource[] withStandIns = new ConfigSource[sources.length + 1];
        System.arraycopy(sources, 0, withStandIns, 0, sources.length);
        withStandIns[sources.length] = STAND_IN_CREDENTIALS;
        try {
            if (needsTls(ConfigLoader.load(withStandIns))) {
                List<String> problems = new ArrayList<>(problem.problems());
                problems.add(NEEDS_TLS);
                return new ConfigException(problems);
            }
        } catch (ConfigException other) {
            // the original problems are the ones to report
        }
        return problem;
    }
}
