package io.duplex.broker;

/** One session subscribed to a channel, and the user it authenticated as (null when anonymous). */
public record PresenceEntry(String session, String user) {
}
