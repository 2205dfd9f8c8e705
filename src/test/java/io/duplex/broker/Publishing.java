package io.duplex.broker;

import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Door;
import io.duplex.channel.Payload;
import io.duplex.channel.Publisher;

/** Publishing in engine tests, as a node's REST door would, without an idempotency key. */
public final class Publishing {
    /** The publisher of the engine tests' messages. */
    public static final Publisher TEST = Publisher.of(Door.REST, "test");

    private Publishing() {
    }

    /** Publishes and returns the message as the engine stored it. */
    public static ChannelMessage publish(Broker broker, ChannelName channel, Payload data) {
        PublishResult result = broker.publish(PublishRequest.of(channel, data, TEST));
        if (result.outcome() != PublishResult.Outcome.PUBLISHED) {
            throw new AssertionError("a publish without a key was answered " + result.outcome());
        }
        return result.message();
    }
}
