package io.duplex.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A WebSocket client written on a bare socket, for what a well-behaved client library will not do:
 * stop reading, ignore pings, look at the exact handshake headers. It answers nothing by itself.
 */
public final class RawWebSocket implements AutoCloseable {
    /** One received frame. */
    public record Frame(int opcode, byte[] payload, boolean compressed) {
        /** The payload as text, inflated first when the frame was compressed (permessage-deflate). */
        public String text() {
            if (!compressed) {
                return new String(payload, StandardCharsets.UTF_8);
            }
            java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
            inflater.setInput(java.nio.ByteBuffer.allocate(payload.length + 4).put(payload).put(new byte[] {0, 0, -1, -1}).flip());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = inflater.inflate(buffer)) > 0) {
                    out.write(buffer, 0, n);
                }
            } catch (java.util.zip.DataFormatException e) {
                throw new IllegalStateException("not a valid compressed frame", e);
            } finally {
                inflater.end();
            }
            return out.toString(StandardCharsets.UTF_8);
        }

        /** The close code of a close frame. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final List<String> responseHeaders = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();

    private RawWebSocket(URI ws, int receiveBuffer) throws IOException {
        this(ws, receiveBuffer, java.util.Map.of());
    }

    private RawWebSocket(URI ws, int receiveBuffer, java.util.Map<String, String> headers) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress(ws.getHost(), ws.getPort()), 5000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        handshake(ws, headers);
    }

    /** A connection whose handshake request carries these extra headers (Origin, Sec-WebSocket-Extensions…). */
    public static RawWebSocket open(URI ws, java.util.Map<String, String> headers) throws IOException {
        return new RawWebSocket(ws, 0, headers);
    }

    public static RawWebSocket open(URI ws) throws IOException {
        return new RawWebSocket(ws, 0);
    }

    /** A connection whose socket buffers little, so the server's writes stall soon once it stops reading. */
    public static RawWebSocket openWithReceiveBuffer(URI ws, int bytes) throws IOException {
        return new RawWebSocket(ws, bytes);
    }

    private void handshake(URI ws, java.util.Map<String, String> headers) throws IOException {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String request = "GET " + ws.getRawPath() + (ws.getRawQuery() == null ? "" : "?" + ws.getRawQuery()) + " HTTP/1.1\r\n"
                + "Host: " + ws.getHost() + ":" + ws.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n";
        StringBuilder extra = new StringBuilder();
        headers.forEach((name, value) -> extra.append(name).append(": ").append(value).append("\r\n"));
        request += extra + "\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the handshake");
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.US_ASCII).trim();
                line.reset();
                if (text.isEmpty()) {
                    break;
                }
                responseHeaders.add(text);
            } else {
                line.write(b);
            }
        }
        if (responseHeaders.isEmpty() || !responseHeaders.get(0).contains(" 101 ")) {
            throw new IOException("handshake refused: " + responseHeaders);
        }
    }

    /** The status line and header lines of the server's handshake response, as sent. */
    public List<String> responseHeaders() {
        return responseHeaders;
    }

    /** Sends {@code connect} and {@code subscribe}, reads both replies, and returns the session id. */
    public String connectAndSubscribe(String channel) throws IOException {
        sendText("{\"id\":1,\"type\":\"connect\"}");
        String session = readFrame().text().replaceAll(".*\"session\":\"([^\"]+)\".*", "$1");
        sendText("{\"id\":2,\"type\":\"subscribe\",\"channel\":\"" + channel + "\"}");
        readFrame();
        return session;
    }

    public void sendText(String text) throws IOException {
        sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    public void sendFrame(int opcode, byte[] payload) throws IOException {
        sendFrame(opcode, payload, false);
    }

    /** Sends one frame; {@code compressed} sets RSV1, which marks a permessage-deflate message. */
    public void sendFrame(int opcode, byte[] payload, boolean compressed) throws IOException {
        sendFrame(opcode, payload, compressed, true);
    }

    /**
     * Sends one frame of a message that may come in several: the first with the message's opcode, the others with
     * {@link #CONTINUATION}; {@code fin} on the last.
     */
    public void sendFragment(int opcode, byte[] payload, boolean fin) throws IOException {
        sendFrame(opcode, payload, false, fin);
    }

    private void sendFrame(int opcode, byte[] payload, boolean compressed, boolean fin) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(14);
        header.put((byte) ((fin ? 0x80 : 0) | (compressed ? 0x40 : 0) | opcode));
        if (payload.length < 126) {
            header.put((byte) (0x80 | payload.length));
        } else if (payload.length < 65536) {
            header.put((byte) (0x80 | 126)).putShort((short) payload.length);
        } else {
            header.put((byte) (0x80 | 127)).putLong(payload.length);
        }
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        header.put(mask);
        byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        // One write per frame: a header and payload written apart meet Nagle's algorithm and delayed ACKs (40 ms).
        byte[] frame = new byte[header.position() + masked.length];
        System.arraycopy(header.array(), 0, frame, 0, header.position());
        System.arraycopy(masked, 0, frame, header.position(), masked.length);
        out.write(frame);
        out.flush();
    }

    /** Reads the next frame (blocking, 10 s at most). */
    public Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload, (b0 & 0x40) != 0);
    }

    /** Reads frames until one with the given opcode; returns it. */
    public Frame readUntil(int opcode) throws IOException {
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode() == opcode) {
                return frame;
            }
        }
    }

    /** How long a read may block before it fails. */
    public void setReadTimeout(java.time.Duration timeout) throws IOException {
        socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
