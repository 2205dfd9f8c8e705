package io.duplex.transport.ws;

import io.duplex.config.DuplexConfig;
import io.duplex.core.ConnectionHandler;
import io.duplex.core.Scheduler;
import io.duplex.stomp.door.StompHandler;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;

/**
 * Creates {@link DuplexEndpoint} and {@link StompEndpoint} instances, notes what the handshake said for the {@link HandshakeGuard}, and
 * negotiates extensions. The WebSocket container, not CDI, instantiates endpoints and this configurator;
 * endpoints are created here, the same way in every container, rather than by each container's own default (some
 * of which make them CDI-managed objects, some not). The endpoint's collaborators are looked up in CDI once per
 * deployment, not per connection (four lookups were a noticeable part of an upgrade); the endpoint's public
 * no-argument constructor, which looks them up itself, stays for containers that check or use it.
 */
public class EndpointConfigurator extends ServerEndpointConfig.Configurator {
    /** User properties the endpoint reads when the connection opens. */
    static final String ORIGIN = "duplex.handshake.origin";
    static final String REQUEST_URI = "duplex.handshake.uri";
    /** The handshake's Authorization header: a STOMP client's token when its CONNECT carries none. */
    static final String AUTHORIZATION = "duplex.handshake.authorization";
    private static final String DEFLATE = "permessage-deflate";

    private volatile Boolean compression;
    /** The endpoint's collaborators, looked up once: a CDI lookup per connection is a noticeable part of an upgrade. */
    private volatile Collaborators collaborators;

    private record Collaborators(ConnectionHandler handler, StompHandler stomp, DuplexConfig config, Scheduler scheduler,
            HandshakeGuard guard) {
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        // The container gives each handshake its own copy of the properties, which its session then carries.
        List<String> origin = request.getHeaders().get("Origin");
        if (origin != null && !origin.isEmpty()) {
            config.getUserProperties().put(ORIGIN, origin.get(0));
        }
        if (request.getRequestURI() != null) {
            config.getUserProperties().put(REQUEST_URI, request.getRequestURI());
        }
        List<String> authorization = request.getHeaders().get("Authorization");
        if (authorization != null && !authorization.isEmpty() && config.getEndpointClass() == StompEndpoint.class) {
            config.getUserProperties().put(AUTHORIZATION, authorization.get(0));
        }
    }

    /**
     * permessage-deflate only when {@code ws.compression} is on: compression costs memory per connection and
     * invites decompression bombs, and most Duplex frames are small. When on, inflated messages are still held
     * to {@code frame.max.bytes} by the container's message size limit.
     */
    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        if (!compressionOn()) {
            return List.of();
        }
        boolean available = installed.stream().anyMatch(e -> e.getName().equals(DEFLATE));
        return requested.stream().filter(e -> available && e.getName().equals(DEFLATE)).limit(1).toList();
    }

    private boolean compressionOn() {
        Boolean on = compression;
        if (on == null) {
            on = CDI.current().select(DuplexConfig.class).get().limits().compression();
            compression = on;
        }
        return on;
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        if (!endpointClass.equals(DuplexEndpoint.class) && !endpointClass.equals(StompEndpoint.class)) {
            throw new InstantiationException("not a Duplex endpoint: " + endpointClass.getName());
        }
        Collaborators beans = collaborators;
        if (beans == null) {
            // Application-scoped beans (client proxies): the same for every connection of this deployment.
            CDI<Object> cdi = CDI.current();
            beans = new Collaborators(cdi.select(ConnectionHandler.class).get(), cdi.select(StompHandler.class).get(),
                    cdi.select(DuplexConfig.class).get(), cdi.select(Scheduler.class).get(), cdi.select(HandshakeGuard.class).get());
            collaborators = beans;
        }
        if (endpointClass.equals(StompEndpoint.class)) {
            return endpointClass.cast(new StompEndpoint(beans.stomp(), beans.config(), beans.scheduler(), beans.guard()));
        }
        return endpointClass.cast(new DuplexEndpoint(beans.handler(), beans.config(), beans.scheduler(), beans.guard()));
    }
}
