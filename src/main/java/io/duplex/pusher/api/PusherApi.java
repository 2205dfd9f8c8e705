package io.duplex.pusher.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import java.util.Set;

/**
 * Pusher's HTTP API, {@code /apps/{app_id}/…}: what the {@code pusher} server SDKs call. An application of its own beside
 * {@code /api} (mapped in web.xml like it): its requests are signed with an app's secret, not authenticated with
 * Duplex's API keys or tokens, and its errors are Pusher's plain-text answers, not problem documents.
 */
@ApplicationPath("/apps")
public class PusherApi extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(EventsResource.class, ChannelsInfoResource.class, UsersResource.class, PusherApiErrors.class);
    }

    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.wadl.disableWadl", true);
    }
}
