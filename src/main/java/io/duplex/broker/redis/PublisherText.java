package io.duplex.broker.redis;

import io.duplex.channel.Door;
import io.duplex.channel.Publisher;

/**
 * A {@link Publisher} as publish.lua stores and sends it: the door, then a line break and the user if there is one. The
 * user comes last, as the rest of the text, so it may hold any character.
 */
final class PublisherText {
    private PublisherText() {
    }

    static String encode(Publisher publisher) {
        return publisher.user() == null ? publisher.door().name() : publisher.door().name() + "\n" + publisher.user();
    }

    /** The publisher; {@link Publisher#UNKNOWN} for text that names no valid door. */
    static Publisher decode(String text) {
        int end = text.indexOf('\n');
        try {
            Door door = new Door(end < 0 ? text : text.substring(0, end));
            return new Publisher(door, end < 0 ? null : text.substring(end + 1));
        } catch (IllegalArgumentException e) {
            return Publisher.UNKNOWN;
        }
    }
}
