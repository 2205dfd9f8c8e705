package io.duplex.protocol;

import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;

/** A frame that cannot be executed; answered with an {@code error} frame carrying the command's id if known. */
public final class FrameException extends DuplexException {
    private static final long serialVersionUID = 1L;

    private final Long id;

    public FrameException(Long id, ErrorCode code, String message) {
        super(code, message);
        this.id = id;
    }

    /** The id of the command, or null when the frame had none or could not be parsed. */
    public Long id() {
        return id;
    }

    public ServerFrame.ErrorReply toReply() {
        return new ServerFrame.ErrorReply(id, code(), getMessage());
    }
}
