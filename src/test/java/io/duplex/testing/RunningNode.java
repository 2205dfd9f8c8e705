package io.duplex.testing;

import java.net.URI;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A node shared by the tests of one class, with a REST client for it:
 * {@code @RegisterExtension static final RunningNode node = new RunningNode("history.size", "5");}
 */
public final class RunningNode implements BeforeAllCallback, AfterAllCallback {
    private final String[] settings;
    private TestServer server;
    private Rest rest;

    public RunningNode(String... settings) {
        this.settings = settings.clone();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = TestServer.start(settings);
        rest = new Rest(server.api());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        rest.close();
        server.close();
    }

    public TestServer server() {
        return server;
    }

    public Rest rest() {
        return rest;
    }

    /** {@code ws://127.0.0.1:PORT/ws} */
    public URI ws() {
        return server.ws();
    }

    /** A new connection that has completed {@code connect}. */
    public WsClient connect() {
        return WsClient.connect(server.ws());
    }
}
