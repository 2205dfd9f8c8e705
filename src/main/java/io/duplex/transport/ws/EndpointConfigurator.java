package io.duplex.transport.ws;

import io.duplex.config.DuplexConfig;
import io.duplex.core.ConnectionHandler;
import io.duplex.core.Scheduler;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Creates {@link DuplexEndpoint} instances with their collaborators from CDI. The WebSocket container, not
 * CDI, instantiates endpoints, and not every container injects into them; looking the beans up here works
 * in all of them.
 */
public class EndpointConfigurator extends ServerEndpointConfig.Configurator {

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        if (!endpointClass.equals(DuplexEndpoint.class)) {
            throw new InstantiationException("not a Duplex endpoint: " + endpointClass.getName());
        }
        CDI<Object> cdi = CDI.current();
        DuplexEndpoint endpoint = new DuplexEndpoint(
                cdi.select(ConnectionHandler.class).get(),
                cdi.select(DuplexConfig.class).get(),
                cdi.select(Scheduler.class).get());
        return endpointClass.cast(endpoint);
    }
}
