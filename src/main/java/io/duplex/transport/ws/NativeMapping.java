package io.duplex.transport.ws;

import java.util.List;
import java.util.logging.Logger;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.websocket.core.ExtensionConfig;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketMappings;

/**
 * Maps {@code /ws} to {@link NativeEndpoint} in Jetty's WebSocket mappings of the application's context. Only
 * {@link NativeDoor} refers to this class, after it found Jetty's classes: on another container it is never loaded.
 */
final class NativeMapping {
    private static final Logger LOG = Logger.getLogger(NativeMapping.class.getName());
    private static final String DEFLATE = "permessage-deflate";

    private NativeMapping() {
    }

    static void install(Object context, String contextPath, NativeDoor door) {
        WebSocketMappings mappings = (WebSocketMappings) context;
        // The same kind of path spec as the Jakarta container's for @ServerEndpoint("/ws"): adding a mapping for an
        // equal path spec replaces the one there (PathMappings.put), in one step.
        PathSpec path = WebSocketMappings.parsePathSpec("uri-template|/ws");
        boolean compression = door.config().limits().compression();
        mappings.addMapping(path, (request, response, callback) -> endpoint(door, compression, request, response),
                (endpoint, request, response) -> (FrameHandler) endpoint, configuration -> { });
        LOG.info(() -> "WebSocket " + contextPath + "/ws on Jetty's own WebSocket API (ws.api=native)");
    }

    private static NativeEndpoint endpoint(NativeDoor door, boolean compression, ServerUpgradeRequest request,
            ServerUpgradeResponse response) {
        response.setExtensions(extensions(compression, request.getExtensions()));
        return new NativeEndpoint(door, request.getHeaders().get("Origin"), request.getConnectionMetaData().getRemoteSocketAddress());
    }

    /**
     * permessage-deflate only when {@code ws.compression} is on, as {@link EndpointConfigurator} negotiates it: compression
     * costs memory per connection and invites decompression bombs, and most Duplex frames are small.
     */
    private static List<ExtensionConfig> extensions(boolean compression, List<ExtensionConfig> offered) {
        if (!compression) {
            return List.of();
        }
        return offered.stream().filter(e -> e.getName().equals(DEFLATE)).limit(1).toList();
    }
}
