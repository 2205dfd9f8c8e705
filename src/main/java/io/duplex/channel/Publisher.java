package io.duplex.channel;

/**
 * Who published a message: the door it came through and the user behind it. It travels with the message through the
 * engine (to every node), so a bridge can tell the messages it brought in itself from the others, and the doors can be
 * counted apart. It is never pushed to subscribers: protocol v1's message push has no such field.
 *
 * @param door the door it came through
 * @param user the publisher's user (a token's {@code sub}, a bridge's name), or null for an anonymous or API-key caller
 */
public record Publisher(Door door, String user) {
    /** A message an older version stored without its publisher. */
    public static final Publisher UNKNOWN = new Publisher(Door.UNKNOWN, null);

    public Publisher {
        if (door == null) {
            throw new IllegalArgumentException("a publisher needs its door");
        }
    }

    /** The publisher of a message that came through {@code door} from {@code user} (null: anonymous or an API key). */
    public static Publisher of(Door door, String user) {
        return new Publisher(door, user);
    }
}
