package io.duplex.channel;

/**
 * The door a message came in through: the WebSocket endpoint, the REST API, or a bridge. An open set rather than an
 * enum: a bridge names its own door ({@code kafka}, {@code mqtt}), and a node of an older version that reads a door it
 * does not know from the engine still carries it unchanged.
 *
 * @param name 1-32 characters of {@code a-z 0-9 -}
 */
public record Door(String name) {
    /** The WebSocket endpoint, {@code /ws}. */
    public static final Door WEBSOCKET = new Door("ws");
    /** The REST API, {@code /api}. */
    public static final Door REST = new Door("rest");
    /** What messages stored by a version of Duplex that did not record their door are read as. */
    public static final Door UNKNOWN = new Door("unknown");

    public Door {
        if (name == null || name.isEmpty() || name.length() > 32 || !name.chars().allMatch(Door::allowed)) {
            throw new IllegalArgumentException("a door is 1-32 characters of a-z 0-9 -, not '" + name + "'");
        }
    }

    private static boolean allowed(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    }

    @Override
    public String toString() {
        return name;
    }
}
