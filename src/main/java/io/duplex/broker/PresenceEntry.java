package io.duplex.broker;

/**
 * One session subscribed to a channel, the user it authenticated as (null when anonymous), and what the door tells
 * the channel's other members about that user (null when nothing): a Pusher presence member's {@code user_info}, as
 * JSON text.
 */
public record PresenceEntry(String session, String user, String info) {

    /** An entry without info: what protocol v1 and REST subscribers have. */
    public PresenceEntry(String session, String user) {
        this(session, user, null);
    }
}
