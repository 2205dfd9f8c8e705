package io.duplex.pusher;

import io.duplex.config.PusherApp;

/**
 * The authorisation a customer's backend gives a socket for a {@code private-} or {@code presence-} channel (and for
 * {@code pusher:signin}): {@code key:hex(HMAC-SHA256(secret, socket_id:channel[:channel_data]))}, Pusher's format.
 */
public final class ChannelAuth {
    private ChannelAuth() {
    }

    /** The authorisation of {@code socketId} for {@code channel}; {@code channelData} only for presence channels. */
    public static String sign(PusherApp app, String socketId, String channel, String channelData) {
        String text = socketId + ":" + channel + (channelData == null ? "" : ":" + channelData);
        return app.key() + ":" + Signatures.hmacSha256(app.secret(), text);
    }

    /** Whether {@code auth} is the app's authorisation of the socket for the channel (and channel data). */
    public static boolean valid(PusherApp app, String auth, String socketId, String channel, String channelData) {
        return Signatures.same(sign(app, socketId, channel, channelData), auth);
    }

    /** The authorisation of a {@code pusher:signin}: the same HMAC over {@code socket_id::user::user_data}. */
    public static boolean validSignin(PusherApp app, String auth, String socketId, String userData) {
        String text = socketId + "::user::" + userData;
        return Signatures.same(app.key() + ":" + Signatures.hmacSha256(app.secret(), text), auth);
    }
}
