package io.duplex.app;

import io.duplex.config.ConfigLoader;
import io.duplex.config.ConfigSource;
import io.duplex.config.DuplexConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;

/**
 * Reads the configuration once, from the container's usual places: servlet context parameters (which is
 * also how the embedded launcher passes its command line), system properties, {@code DUPLEX_*} environment
 * variables and the optional properties file. A wrong value fails the deployment with a message naming it.
 */
@ApplicationScoped
public class ConfigProducer {
    private final ServletContext context;
    private DuplexConfig config;

    protected ConfigProducer() {
        // for CDI's client proxy
        this(null);
    }

    @Inject
    public ConfigProducer(ServletContext context) {
        this.context = context;
    }

    @PostConstruct
    void load() {
        config = ConfigLoader.load(
                ConfigSource.contextParameters(context::getInitParameter),
                ConfigSource.systemProperties(),
                ConfigSource.environment(System.getenv()));
    }

    @Produces
    DuplexConfig config() {
        return config;
    }
}
