package io.duplex.stomp;

/**
 * What makes a client's frame unacceptable: answered with an ERROR frame whose {@code message} header is this
 * exception's message, and the connection is closed (STOMP 1.2: a server closes the connection after an ERROR).
 */
public final class StompException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String receipt;

    public StompException(String message) {
        this(message, null);
    }

    /** @param receipt the {@code receipt} header of the frame at fault, echoed as {@code receipt-id}; may be null */
    public StompException(String message, String receipt) {
        super(message, null, false, false);
        this.receipt = receipt;
    }

    /** The {@code receipt} header of the frame at fault, or null. */
    public String receipt() {
        return receipt;
    }

    /** The same error for the frame with this receipt header. */
    public StompException withReceipt(String receipt) {
        return receipt == null || this.receipt != null ? this : new StompException(getMessage(), receipt);
    }
}
