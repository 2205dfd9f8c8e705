package io.duplex.stomp;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the frames a client sent in one WebSocket message, strictly (STOMP 1.2's grammar, nothing guessed) and within
 * {@link StompLimits}. A message holds zero or more whole frames, each optionally preceded by end-of-lines (a message of
 * end-of-lines alone is a heart-beat); a frame may not continue in the next message. Anything else is a
 * {@link StompException}: the reader never returns part of a message's frames and never fails otherwise.
 *
 * <p>What it refuses: an unknown or server command, a line over {@code headerMaxBytes} (command or header), more than
 * {@code headersMax} headers, a header line without {@code :} or with an empty name, a NUL octet in a header, an
 * undefined escape ({@code \t}; {@code \r} before 1.2; none in 1.0, nor in CONNECT, where a backslash is itself), a {@code content-length} that is not
 * a decimal number, is over {@code bodyMaxBytes} or is not followed by NUL, a body without its closing NUL or over
 * {@code bodyMaxBytes}, a lone CR, and text that is not UTF-8. A repeated header keeps its first value.
 */
public final class StompDecoder {
    private static final byte LF = '\n';
    private static final byte CR = '\r';
    private static final byte NUL = 0;
    private static final int SHOWN = 32;

    private final StompLimits limits;

    public StompDecoder(StompLimits limits) {
        this.limits = limits;
    }

    /** The frames of one message, in order; empty for a heart-beat. Escapes are read as {@code version} has them. */
    public List<StompFrame> decode(byte[] message, StompVersion version) {
        List<StompFrame> frames = new ArrayList<>(1);
        Cursor cursor = new Cursor(message);
        while (true) {
            cursor.skipEndOfLines();
            if (cursor.atEnd()) {
                return frames;
            }
            frames.add(frame(cursor, version));
        }
    }

    /** The frames of one text message. */
    public List<StompFrame> decode(String message, StompVersion version) {
        return decode(message.getBytes(StandardCharsets.UTF_8), version);
    }

    private StompFrame frame(Cursor cursor, StompVersion version) {
        String name = text(cursor.line(limits.headerMaxBytes(), "the command line"), "the command");
        StompCommand command = StompCommand.client(name);
        if (command == null) {
            throw new StompException("unknown command '" + shown(name) + "'");
        }
        boolean unescape = command.escaped() && version.escapes();
        StompHeaders.Builder headers = StompHeaders.builder();
        int count = 0;
        String receipt = null;
        while (true) {
            byte[] line = cursor.line(limits.headerMaxBytes(), "a header line of " + command);
            if (line.length == 0) {
                break;
            }
            if (++count > limits.headersMax()) {
                throw new StompException(command + " has more than " + limits.headersMax() + " headers", receipt);
            }
            int colon = indexOf(line, (byte) ':');
            if (colon < 0) {
                throw new StompException("a header line of " + command + " has no ':'", receipt);
            }
            if (colon == 0) {
                throw new StompException("a header of " + command + " has an empty name", receipt);
            }
            if (indexOf(line, NUL) >= 0) {
                throw new StompException("a header of " + command + " holds a NUL octet", receipt);
            }
            String key = text(slice(line, 0, colon), "a header name");
            String value = text(slice(line, colon + 1, line.length), "a header value");
            // CONNECT and STOMP are never escaped, nor is anything in 1.0: a backslash there is just a backslash.
            if (unescape) {
                key = unescape(key, version, receipt);
                value = unescape(value, version, receipt);
            }
            headers.add(key, value);
            if (receipt == null && key.equals("receipt")) {
                receipt = value;
            }
        }
        StompHeaders read = headers.build();
        String body = body(cursor, command, read.get("content-length"), read.get("receipt"));
        return new StompFrame(command, read, body);
    }

    private String body(Cursor cursor, StompCommand command, String contentLength, String receipt) {
        int length;
        if (contentLength != null) {
            length = contentLength(contentLength, command, receipt);
            if (cursor.remaining() < length + 1) {
                throw new StompException(command + " ends before the " + length + " octets of its content-length and the NUL after them", receipt);
            }
            if (cursor.peek(length) != NUL) {
                throw new StompException(command + " has no NUL octet right after the " + length + " octets of its content-length", receipt);
            }
        } else {
            length = cursor.indexOf(NUL);
            if (length < 0) {
                throw new StompException(command + " does not end with a NUL octet (a frame must fit in one WebSocket message)", receipt);
            }
            if (length > limits.bodyMaxBytes()) {
                throw new StompException("the body of " + command + " is " + length + " bytes; the most is " + limits.bodyMaxBytes(), receipt);
            }
        }
        byte[] octets = cursor.take(length);
        cursor.take(1);
        try {
            return text(octets, "the body");
        } catch (StompException e) {
            throw e.withReceipt(receipt);
        }
    }

    private int contentLength(String value, StompCommand command, String receipt) {
        if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new StompException("content-length of " + command + " is not a number of octets: '" + shown(value) + "'", receipt);
        }
        long length = Long.parseLong(value);
        if (length > limits.bodyMaxBytes()) {
            throw new StompException("content-length of " + command + " is " + length + "; the most is " + limits.bodyMaxBytes(), receipt);
        }
        return (int) length;
    }

    private static String unescape(String raw, StompVersion version, String receipt) {
        int backslash = raw.indexOf('\\');
        if (backslash < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        out.append(raw, 0, backslash);
        for (int i = backslash; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i == raw.length()) {
                throw new StompException("a header ends with a lone backslash", receipt);
            }
            char escaped = raw.charAt(i);
            switch (escaped) {
                case '\\' -> out.append('\\');
                case 'c' -> out.append(':');
                case 'n' -> out.append('\n');
                case 'r' -> {
                    if (!version.escapesCarriageReturn()) {
                        throw new StompException("\\r is not an escape in STOMP " + version.label(), receipt);
                    }
                    out.append('\r');
                }
                default -> throw new StompException("undefined escape '\\" + shown(String.valueOf(escaped)) + "' in a header", receipt);
            }
        }
        return out.toString();
    }

    private static String text(byte[] octets, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(octets))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new StompException(what + " is not UTF-8 text");
        }
    }

    /** Printable, short: what is echoed back of the client's input. */
    private static String shown(String input) {
        StringBuilder out = new StringBuilder();
        input.codePoints().limit(SHOWN).forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return input.length() > SHOWN ? out + "…" : out.toString();
    }

    private static int indexOf(byte[] line, byte b) {
        for (int i = 0; i < line.length; i++) {
            if (line[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] slice(byte[] line, int from, int to) {
        byte[] part = new byte[to - from];
        System.arraycopy(line, from, part, 0, part.length);
        return part;
    }

    /** A position in the message. */
    private static final class Cursor {
        private final byte[] bytes;
        private int position;

        Cursor(byte[] bytes) {
            this.bytes = bytes;
        }

        boolean atEnd() {
            return position == bytes.length;
        }

        int remaining() {
            return bytes.length - position;
        }

        byte peek(int ahead) {
            return bytes[position + ahead];
        }

        /** Offset of the first {@code b} from here, or -1. */
        int indexOf(byte b) {
            for (int i = position; i < bytes.length; i++) {
                if (bytes[i] == b) {
                    return i - position;
                }
            }
            return -1;
        }

        byte[] take(int count) {
            byte[] part = new byte[count];
            System.arraycopy(bytes, position, part, 0, count);
            position += count;
            return part;
        }

        void skipEndOfLines() {
            while (position < bytes.length) {
                if (bytes[position] == LF) {
                    position++;
                } else if (bytes[position] == CR && position + 1 < bytes.length && bytes[position + 1] == LF) {
                    position += 2;
                } else {
                    return;
                }
            }
        }

        /** The next line without its end-of-line ({@code LF} or {@code CR LF}); at most {@code max} octets. */
        byte[] line(int max, String what) {
            int end = -1;
            int limit = Math.min(bytes.length, position + max + 2);
            for (int i = position; i < limit; i++) {
                if (bytes[i] == LF) {
                    end = i;
                    break;
                }
            }
            if (end < 0) {
                if (limit < bytes.length || bytes.length - position > max) {
                    throw new StompException(what + " is longer than " + max + " bytes");
                }
                throw new StompException("the frame ends within " + what + " (a frame must fit in one WebSocket message)");
            }
            int stop = end > position && bytes[end - 1] == CR ? end - 1 : end;
            if (stop - position > max) {
                throw new StompException(what + " is longer than " + max + " bytes");
            }
            for (int i = position; i < stop; i++) {
                if (bytes[i] == CR) {
                    throw new StompException(what + " holds a CR that does not end it");
                }
            }
            byte[] line = take(stop - position);
            position = end + 1;
            return line;
        }
    }
}
