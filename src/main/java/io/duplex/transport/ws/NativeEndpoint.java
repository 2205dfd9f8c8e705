package io.duplex.transport.ws;

import io.duplex.core.ClientSession;
import io.duplex.error.DisconnectReason;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.BadPayloadException;
import org.eclipse.jetty.websocket.core.exception.CloseException;
import org.eclipse.jetty.websocket.core.exception.MessageTooLargeException;

/**
 * The WebSocket door {@code /ws} on Jetty's core WebSocket API, where the embedded server lets the application see it
 * ({@link NativeDoor}): what {@link DuplexEndpoint} does, without the Jakarta layer, which discovers the annotated
 * endpoint and binds method handles to it for every connection (a third of an upgrade) and keeps per-session encoders,
 * decoders and handles (a few KiB per idle connection). One instance per connection.
 *
 * <p>It does what the Jakarta layer did for {@link DuplexEndpoint}, the same way, so that a client cannot tell them
 * apart: text messages are put together from their fragments and held to {@code frame.max.bytes} (1009), checked to be
 * UTF-8 (1007), and handed to the {@link io.duplex.core.ConnectionHandler}; a binary message gets the same error as
 * there; a ping is answered with a pong; a pong counts as the client's answer to the heartbeat.
 */
final class NativeEndpoint implements FrameHandler {
    private static final Logger LOG = Logger.getLogger(NativeEndpoint.class.getName());

    private final NativeDoor door;
    /** What the handshake said, read when the connection opens and then dropped. */
    private String origin;
    private SocketAddress address;
    private CoreSession core;
    private ClientSession session;
    /** The opcode of the message being read (TEXT or BINARY), for its continuation frames. */
    private byte reading = OpCode.UNDEFINED;
    /** The fragments read so far of a message sent in several frames; null between messages. */
    private byte[] partial;
    private int partialLength;

    NativeEndpoint(NativeDoor door, String origin, SocketAddress address) {
        this.door = door;
        this.origin = origin;
        this.address = address;
    }

    @Override
    public void onOpen(CoreSession core, Callback callback) {
        this.core = core;
        long max = door.config().frameMaxBytes();
        core.setMaxTextMessageSize(max);
        core.setMaxBinaryMessageSize(max);
        core.setIdleTimeout(door.idleTimeout());
        NativeConnection connection = new NativeConnection(core, address);
        DisconnectReason refused = door.guard().check(origin, core.getRequestURI(), NativeConnection.host(address));
        origin = null;
        address = null;
        if (refused == null) {
            try {
                session = door.handler().opened(connection);
            } catch (RuntimeException e) {
                // Jetty reports it (onError) and closes with 1011.
                callback.failed(e);
                return;
            }
        }
        callback.succeeded();
        if (refused != null) {
            // Closed before a frame is handed on: nothing the client sends is ever seen. Reading goes on for the close
            // handshake.
            connection.close(refused);
            door.handler().refused(refused);
        }
        core.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        try {
            dispatch(frame, callback);
        } catch (RuntimeException e) {
            // A failure of Duplex's own code, before the frame was done with: Jetty reports it (onError) and closes
            // with 1011.
            callback.failed(e);
        }
    }

    private void dispatch(Frame frame, Callback callback) {
        switch (frame.getOpCode()) {
            case OpCode.TEXT, OpCode.BINARY -> {
                reading = frame.getOpCode();
                data(frame, callback);
            }
            case OpCode.CONTINUATION -> data(frame, callback);
            case OpCode.PING -> core.sendFrame(new Frame(OpCode.PONG).setPayload(frame.getPayload()), Callback.from(() -> next(callback),
                    // The output may be shut already (a close under way) while a ping still comes in.
                    failure -> next(callback)), false);
            case OpCode.PONG -> {
                if (session != null) {
                    door.handler().receivedPong(session);
                }
                next(callback);
            }
            // Jetty answers the close frame and then calls onClosed.
            case OpCode.CLOSE -> callback.succeeded();
            default -> callback.failed(new IllegalStateException("unexpected opcode " + frame.getOpCode()));
        }
    }

    private void data(Frame frame, Callback callback) {
        ByteBuffer payload = frame.getPayload();
        int length = payload == null ? 0 : payload.remaining();
        long max = core.getMaxTextMessageSize();
        if ((long) partialLength + length > max) {
            partial = null;
            partialLength = 0;
            // Jetty closes with 1009, as the Jakarta layer does.
            callback.failed(new MessageTooLargeException("message too large: more than " + max + " bytes"));
            return;
        }
        if (!frame.isFin()) {
            keep(payload, length);
            next(callback);
            return;
        }
        byte opcode = reading;
        reading = OpCode.UNDEFINED;
        if (opcode == OpCode.BINARY) {
            partial = null;
            partialLength = 0;
            if (session != null) {
                door.handler().receivedBinary(session);
            }
            next(callback);
            return;
        }
        keep(payload, length);
        byte[] message = partial;
        int size = partialLength;
        partial = null;
        partialLength = 0;
        String text;
        try {
            text = decode(message, size);
        } catch (CharacterCodingException e) {
            // Jetty closes with 1007, as the Jakarta layer does.
            callback.failed(new BadPayloadException("text message is not valid UTF-8"));
            return;
        }
        if (session != null) {
            door.handler().received(session, text);
        }
        next(callback);
    }

    /** Adds a frame's payload to the message's bytes; a message of one frame is copied once, to its exact size. */
    private void keep(ByteBuffer payload, int length) {
        if (partial == null) {
            partial = new byte[length];
        } else if (partialLength + length > partial.length) {
            partial = Arrays.copyOf(partial, Math.max(partial.length * 2, partialLength + length));
        }
        if (length > 0) {
            payload.get(partial, partialLength, length);
            partialLength += length;
        }
    }

    private static String decode(byte[] bytes, int length) throws CharacterCodingException {
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        // The fast decoding above replaces malformed input with U+FFFD; only a text that has one (a client may also
        // send U+FFFD itself) is decoded again, strictly, to tell which.
        if (text.indexOf('\uFFFD') >= 0) {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, length));
        }
        return text;
    }

    /** The frame is done with: its buffer goes back to Jetty, and the next frame may be read. */
    private void next(Callback callback) {
        callback.succeeded();
        core.demand();
    }

    @Override
    public void onError(Throwable failure, Callback callback) {
        if (failure instanceof CloseException) {
            // The client's fault, thrown here to close with its code (1009, 1007), as Jetty's Jakarta layer throws it
            // for DuplexEndpoint: one line at FINE there too, not a stack trace as if Duplex had failed.
            LOG.log(Level.FINE, "{0}: {1}", new Object[] {session, failure.toString()});
        } else {
            Opening.failed(LOG, session, failure);
        }
        callback.succeeded();
    }

    /** Called once, however the connection ended (a close handshake, an error, an idle timeout). */
    @Override
    public void onClosed(CloseStatus status, Callback callback) {
        if (session != null) {
            door.handler().closed(session, status.getCode());
        }
        callback.succeeded();
    }
}
