package io.duplex.stomp;

/** The commands of STOMP 1.2: those a client sends, and those a server sends. */
public enum StompCommand {
    CONNECT(true),
    STOMP(true),
    SEND(true),
    SUBSCRIBE(true),
    UNSUBSCRIBE(true),
    ACK(true),
    NACK(true),
    BEGIN(true),
    COMMIT(true),
    ABORT(true),
    DISCONNECT(true),
    CONNECTED(false),
    MESSAGE(false),
    RECEIPT(false),
    ERROR(false);

    private final boolean client;

    StompCommand(boolean client) {
        this.client = client;
    }

    /** Whether a client sends it. */
    public boolean fromClient() {
        return client;
    }

    /**
     * Whether header values of this command are escaped: all but CONNECT, STOMP and CONNECTED, which STOMP 1.2 leaves
     * unescaped so that 1.0 peers read them.
     */
    boolean escaped() {
        return this != CONNECT && this != STOMP && this != CONNECTED;
    }

    /** The client command spelled exactly so (commands are case-sensitive), or null. */
    static StompCommand client(String name) {
        for (StompCommand command : values()) {
            if (command.client && command.name().equals(name)) {
                return command;
            }
        }
        return null;
    }
}
