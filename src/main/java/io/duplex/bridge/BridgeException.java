package io.duplex.bridge;

/** A bridge cannot run with this configuration; its message says what is wrong and fails the node's start. */
public class BridgeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BridgeException(String message) {
        super(message);
    }
}
