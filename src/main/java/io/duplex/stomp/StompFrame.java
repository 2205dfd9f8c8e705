package io.duplex.stomp;

import java.util.Objects;

/**
 * One STOMP frame: a command, its headers, and its body as text. Duplex carries JSON and text, so a body is UTF-8 by
 * the time it is a frame; the reader refuses a body that is not.
 */
public record StompFrame(StompCommand command, StompHeaders headers, String body) {

    public StompFrame {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    public static StompFrame of(StompCommand command, StompHeaders headers) {
        return new StompFrame(command, headers, "");
    }

    /** A header's value, or null. */
    public String header(String name) {
        return headers.get(name);
    }
}
