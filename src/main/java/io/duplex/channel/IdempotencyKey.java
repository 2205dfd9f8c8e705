package io.duplex.channel;

import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;

/**
 * A publisher's name for one message, so that publishing it again (a retry after a timeout, a record a bridge received
 * twice) is recognised and delivered once: 1-255 printable ASCII characters ({@code 0x20-0x7E}), chosen by the
 * publisher, e.g. a UUID. A key is only ever compared within its publisher's scope (door and user, see
 * {@code PublishRequest}), so two callers cannot collide by choosing the same key.
 */
public record IdempotencyKey(String value) {
    public static final int MAX_LENGTH = 255;

    public IdempotencyKey {
        if (value == null || value.isEmpty()) {
            throw new DuplexException(ErrorCode.BAD_REQUEST, "the idempotency key is empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new DuplexException(ErrorCode.BAD_REQUEST,
                    "the idempotency key is " + value.length() + " characters long; the most is " + MAX_LENGTH);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new DuplexException(ErrorCode.BAD_REQUEST, "the idempotency key has a character that is not allowed at "
                        + "position " + (i + 1) + "; allowed are printable ASCII characters (a UUID is a good key)");
            }
        }
    }

    public static IdempotencyKey of(String value) {
        return new IdempotencyKey(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
