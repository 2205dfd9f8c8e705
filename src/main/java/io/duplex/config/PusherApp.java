package io.duplex.config;

/**
 * One Pusher Channels app this node serves (setting {@code pusher.apps}): the id the HTTP API names it by, the key
 * clients connect with, the secret that signs channel authorisations and API requests, whether it is enabled, and its
 * connection quota on this node.
 *
 * @param id             the app id of {@code /apps/{id}/…}: 1-32 characters of {@code A-Z a-z 0-9 _ -}
 * @param key            the key of {@code /app/{key}}: 1-64 characters of {@code A-Z a-z 0-9 _ -}
 * @param secret         signs and checks; never logged
 * @param enabled        false: connections are closed with 4003 and API requests answered 403
 * @param maxConnections connections of the app this node holds at most (then 4004); 0 for no quota
 */
public record PusherApp(String id, String key, Secret secret, boolean enabled, int maxConnections) {

    @Override
    public String toString() {
        // The secret's own toString hides it too; the app is named by its id in log lines.
        return "app " + id;
    }
}
