package io.duplex.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Kafka broker for a test class (a broker JVM is heavy on a small machine: the tests of a class share it, each with
 * topics of its own), running before each test (a test may stop it):
 * {@code @RegisterExtension static final KafkaFixture KAFKA = new KafkaFixture();}
 */
public final class KafkaFixture implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private KafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = KafkaBroker.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (broker.pid() < 0) {
            broker.startAgain();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        broker.close();
    }

    /** The running broker; available from the test instance on. */
    public KafkaBroker broker() {
        return broker;
    }
}
