package io.duplex.pusher;

import io.duplex.channel.ChannelName;
import java.util.Optional;

/**
 * A Pusher channel of one app, and the Duplex channel it is: {@code pusher:APP_ID:NAME}. Pusher allows
 * {@code A-Z a-z 0-9 _ - = @ , . ;} in up to 164 characters; Duplex has no {@code = , ;}, so those, and {@code @}
 * itself, are written {@code @XX} (the character's code in hex, as the MQTT bridge does): {@code presence-room=1} of app
 * 1001 is {@code pusher:1001:presence-room@3D1}. A name whose Duplex form is over 255 characters is refused.
 *
 * @param appId the app's id
 * @param name  the channel's name as Pusher clients know it
 */
public record PusherChannel(String appId, String name) {
    public static final int MAX_LENGTH = 164;
    private static final String PREFIX = "pusher:";
    /** The channel of a signed-in user's own events ({@code sendToUser}): {@code #server-to-user-USER_ID}. */
    public static final String USER_PREFIX = "#server-to-user-";

    /** What a channel's name prefix makes of it. */
    public enum Kind {
        PUBLIC, PRIVATE, PRESENCE,
        /** A signed-in user's own channel: only that user's sockets may subscribe, and no client events. */
        USER;

        /** Whether subscribing needs an authorisation signed with the app's secret. */
        public boolean authorised() {
            return this == PRIVATE || this == PRESENCE;
        }
    }

    /** The channel, or empty when the name is not a valid Pusher channel name or too long once mapped. */
    public static Optional<PusherChannel> of(String appId, String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String checked = name.startsWith(USER_PREFIX) ? name.substring(USER_PREFIX.length()) : name;
        if (checked.isEmpty() || !checked.chars().allMatch(PusherChannel::allowed)) {
            return Optional.empty();
        }
        PusherChannel channel = new PusherChannel(appId, name);
        return channel.duplexName().length() > ChannelName.MAX_LENGTH ? Optional.empty() : Optional.of(channel);
    }

    /** The Pusher channel a Duplex channel is, for this app; empty when it is another app's or not a Pusher one. */
    public static Optional<PusherChannel> fromDuplex(String appId, ChannelName channel) {
        String prefix = prefix(appId);
        String value = channel.value();
        if (!value.startsWith(prefix)) {
            return Optional.empty();
        }
        StringBuilder name = new StringBuilder();
        for (int i = prefix.length(); i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '@' && i + 2 < value.length()) {
                try {
                    name.append((char) Integer.parseInt(value.substring(i + 1, i + 3), 16));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
                i += 2;
            } else if (c == '@') {
                return Optional.empty();
            } else {
                name.append(c);
            }
        }
        return of(appId, name.toString());
    }

    /** The Duplex channel names of an app start with this. */
    public static String prefix(String appId) {
        return PREFIX + appId + ":";
    }

    public Kind kind() {
        if (name.startsWith(USER_PREFIX)) {
            return Kind.USER;
        }
        if (name.startsWith("presence-")) {
            return Kind.PRESENCE;
        }
        // private-encrypted-… is private to the server: it never sees the clear text (end-to-end encryption).
        return name.startsWith("private-") ? Kind.PRIVATE : Kind.PUBLIC;
    }

    /** The Duplex channel. */
    public ChannelName duplex() {
        return ChannelName.of(duplexName());
    }

    private String duplexName() {
        StringBuilder out = new StringBuilder(prefix(appId));
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '=' || c == ',' || c == ';' || c == '@') {
                out.append('@').append(String.format("%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean allowed(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-' || c == '=' || c == '@' || c == ',' || c == '.' || c == ';';
    }

    @Override
    public String toString() {
        return name;
    }
}
