package io.duplex.pusher.api;

import io.duplex.config.PusherApp;
import io.duplex.core.Node;
import io.duplex.error.DisconnectReason;
import io.duplex.pusher.PusherSocket;
import io.duplex.pusher.PusherSockets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.List;
import java.util.logging.Logger;

/**
 * {@code POST /apps/{app_id}/users/{user_id}/terminate_connections}: closes the connections of a user who signed in
 * ({@code pusher:signin}) with 4009, which tells pusher-js not to reconnect by itself. This node's connections only.
 */
@ApplicationScoped
@Path("/{app_id}/users")
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource {
    private static final Logger LOG = Logger.getLogger(UsersResource.class.getName());

    private final SignedRequests signed;
    private final PusherSockets sockets;
    private final Node node;

    protected UsersResource() {
        // for CDI's client proxy
        this(null, null, null);
    }

    @Inject
    public UsersResource(SignedRequests signed, PusherSockets sockets, Node node) {
        this.signed = signed;
        this.sockets = sockets;
        this.node = node;
    }

    @POST
    @Path("{user_id}/terminate_connections")
    public String terminate(@PathParam("app_id") String appId, @PathParam("user_id") String userId, @Context UriInfo uri,
            InputStream in) {
        byte[] body = signed.body(in);
        PusherApp app = signed.app(appId, "POST", uri, body);
        List<PusherSocket> ofUser = sockets.ofUser(app.id(), userId);
        for (PusherSocket socket : ofUser) {
            node.disconnect(socket.session(), DisconnectReason.UNAUTHORIZED);
        }
        if (!ofUser.isEmpty()) {
            LOG.info(() -> "terminated " + ofUser.size() + " Pusher connection(s) of a user of " + app);
        }
        return "{}";
    }
}
