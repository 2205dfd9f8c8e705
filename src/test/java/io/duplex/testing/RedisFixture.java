package io.duplex.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One redis-server for a test class, running and empty before each test (a test may stop or flush it):
 * {@code @RegisterExtension static final RedisFixture REDIS = new RedisFixture();}
 */
public final class RedisFixture implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private RedisServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = RedisServer.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (server.pid() < 0) {
            server.startAgain();
        }
        server.flushAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    /** The running server; available from the test instance on. */
    public RedisServer server() {
        return server;
    }
}
