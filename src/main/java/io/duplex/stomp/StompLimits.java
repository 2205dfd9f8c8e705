package io.duplex.stomp;

/**
 * How much of a client's frame the reader accepts: more headers, a longer header line or a larger body is an ERROR,
 * found before the excess is decoded.
 *
 * @param headersMax     headers per frame (setting {@code stomp.headers.max})
 * @param headerMaxBytes bytes of one header line, name and value escaped as sent, and of the command line
 *                       (setting {@code stomp.header.max.bytes})
 * @param bodyMaxBytes   bytes of a body; a {@code content-length} over it is refused before the body is read
 */
public record StompLimits(int headersMax, int headerMaxBytes, int bodyMaxBytes) {

    public StompLimits {
        if (headersMax < 1 || headerMaxBytes < 16 || bodyMaxBytes < 0) {
            throw new IllegalArgumentException("limits too small: " + headersMax + ", " + headerMaxBytes + ", " + bodyMaxBytes);
        }
    }
}
