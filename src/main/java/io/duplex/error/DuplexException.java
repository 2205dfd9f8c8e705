package io.duplex.error;

/**
 * An expected failure with a stable {@link ErrorCode}: bad input, a broken limit, an unavailable engine.
 * It carries no stack trace, because it is answered to the client, not investigated.
 */
public class DuplexException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public DuplexException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
