package io.duplex.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test opened (nodes, clients, producers), closed after it in the reverse order, every one even when one fails —
 * so a test that fails halfway leaves no node or broker client behind for the next:
 * {@code @RegisterExtension final Closer open = new Closer();} then {@code open.keep(TestServer.start(...))}.
 */
public final class Closer implements AfterEachCallback {
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** Closes {@code closeable} after the test; returns it, to be used in an expression. */
    public <T extends AutoCloseable> T keep(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        opened.clear();
        if (first != null) {
            throw first;
        }
    }
}
