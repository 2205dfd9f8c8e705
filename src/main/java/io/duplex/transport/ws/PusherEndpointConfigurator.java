package io.duplex.transport.ws;

import io.duplex.config.DuplexConfig;
import io.duplex.core.Scheduler;
import io.duplex.pusher.PusherHandler;
import jakarta.enterprise.inject.spi.CDI;

/**
 * Creates {@link PusherEndpoint} instances, with {@link EndpointConfigurator}'s handshake notes and extension
 * negotiation; the collaborators are looked up in CDI once per deployment.
 */
public class PusherEndpointConfigurator extends EndpointConfigurator {
    private volatile Collaborators collaborators;

    private record Collaborators(PusherHandler handler, DuplexConfig config, Scheduler scheduler, HandshakeGuard guard) {
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        if (!endpointClass.equals(PusherEndpoint.class)) {
            throw new InstantiationException("not the Pusher endpoint: " + endpointClass.getName());
        }
        Collaborators beans = collaborators;
        if (beans == null) {
            CDI<Object> cdi = CDI.current();
            beans = new Collaborators(cdi.select(PusherHandler.class).get(), cdi.select(DuplexConfig.class).get(),
                    cdi.select(Scheduler.class).get(), cdi.select(HandshakeGuard.class).get());
            collaborators = beans;
        }
        return endpointClass.cast(new PusherEndpoint(beans.handler(), beans.config(), beans.scheduler(), beans.guard()));
    }
}
