package io.duplex.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The generator: one thread, one selector, every client connection. Lean on purpose, so that one core can drive a
 * server on the other one to saturation: frames are parsed in place from one shared read buffer, nothing is
 * allocated per message received, client frames are masked with a zero key, and the handshake response is checked
 * for its status only.
 */
final class Loop implements AutoCloseable {
    private static final int READ_BUFFER = 1 << 20;
    private static final byte[] HEADERS_END = Frames.ascii("\r\n\r\n");

    private final Selector selector;
    private final InetSocketAddress server;
    private final String host;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final byte[] buffer = new byte[READ_BUFFER];
    private final ByteBuffer readBuffer = ByteBuffer.wrap(buffer);
    private volatile boolean running = true;
    private long timerSeq;
    /** Connections that are not ready yet: connecting, handshaking, saying hello. */
    int opening;
    long bytesRead;
    /** WebSocket pings the server sent (each answered with a pong). */
    long pings;
    /**
     * Whether a timer due in under a millisecond is waited for by polling (every publish on time: the latency runs) or
     * by a 1 ms select (publishes due meanwhile go together). Polling keeps the generator's core fully busy whenever
     * publishes are less than 1 ms apart, which made every fan-out step above 1,000 publishes/s look generator-bound
     * (S = 100 from 100k deliveries/s on) and read one ready socket per system call.
     */
    volatile boolean precise = true;

    private record Timer(long due, long seq, Runnable task) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
        }
    }

    Loop(InetSocketAddress server) throws IOException {
        this.server = server;
        this.host = server.getHostString() + ":" + server.getPort();
        this.selector = Selector.open();
        this.thread = new Thread(this::run, "generator");
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code task} on the loop's thread. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Runs {@code task} on the loop's thread and waits for its result. */
    <T> T call(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("generator task failed", e);
        }
    }

    /** On the loop's thread: runs {@code task} at {@code nanoTime} or soon after. */
    void at(long nanoTime, Runnable task) {
        timers.add(new Timer(nanoTime, timerSeq++, task));
    }

    /** On the loop's thread: opens a connection (from {@code source}, or any local address when null). */
    void open(Conn c, InetAddress source) {
        opening++;
        c.startedNanos = System.nanoTime();
        try {
            SocketChannel socket = SocketChannel.open();
            socket.configureBlocking(false);
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (source != null) {
                socket.bind(new InetSocketAddress(source, 0));
            }
            c.socket = socket;
            if (socket.connect(server)) {
                c.key = socket.register(selector, SelectionKey.OP_READ, c);
                handshake(c);
            } else {
                c.key = socket.register(selector, SelectionKey.OP_CONNECT, c);
            }
        } catch (IOException e) {
            drop(c, 1006);
        }
    }

    /** On the loop's thread: sends bytes, queueing what the socket does not take. */
    void send(Conn c, byte[] bytes) {
        if (c.state == Conn.State.CLOSED) {
            return;
        }
        try {
            if (c.pending == null) {
                ByteBuffer out = ByteBuffer.wrap(bytes);
                c.socket.write(out);
                if (out.hasRemaining()) {
                    c.pending = ByteBuffer.allocate(Math.max(4096, out.remaining() * 2)).put(out);
                    c.key.interestOps(c.key.interestOps() | SelectionKey.OP_WRITE);
                }
            } else {
                if (c.pending.remaining() < bytes.length) {
                    ByteBuffer bigger = ByteBuffer.allocate((c.pending.position() + bytes.length) * 2);
                    c.pending.flip();
                    bigger.put(c.pending);
                    c.pending = bigger;
                }
                c.pending.put(bytes);
            }
        } catch (IOException e) {
            drop(c, 1006);
        }
    }

    /** On the loop's thread: closes the connection at once (no close handshake), reporting nothing. */
    void abort(Conn c) {
        if (c.state != Conn.State.CLOSED) {
            if (!c.ready) {
                opening--;
            }
            c.state = Conn.State.CLOSED;
            closeQuietly(c);
        }
    }

    private void run() {
        while (running) {
            try {
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                long now = System.nanoTime();
                while (!timers.isEmpty() && timers.peek().due() <= now) {
                    timers.poll().task().run();
                    now = System.nanoTime();
                }
                if (!tasks.isEmpty()) {
                    selector.selectNow();
                } else if (timers.isEmpty()) {
                    selector.select(100);
                } else {
                    long waitMicros = (timers.peek().due() - now) / 1000;
                    if (waitMicros < 1000) {
                        if (precise) {
                            selector.selectNow();
                        } else {
                            selector.select(1);
                        }
                    } else {
                        selector.select(waitMicros / 1000);
                    }
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    Conn c = (Conn) key.attachment();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isConnectable()) {
                        connected(c);
                    } else {
                        if (key.isWritable()) {
                            flush(c);
                        }
                        if (key.isValid() && key.isReadable()) {
                            read(c);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (running) {
                    e.printStackTrace();
                }
            }
        }
    }

    private void connected(Conn c) {
        try {
            c.socket.finishConnect();
            c.key.interestOps(SelectionKey.OP_READ);
            handshake(c);
        } catch (IOException e) {
            drop(c, 1006);
        }
    }

    private void handshake(Conn c) {
        c.state = Conn.State.HANDSHAKING;
        String request = "GET " + c.wire.path(channelName(c), c.publisher) + " HTTP/1.1\r\nHost: " + host
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        send(c, request.getBytes(StandardCharsets.US_ASCII));
    }

    /** The scenario's names of channels, by index; set before connections open. */
    String[] channels = new String[0];

    private String channelName(Conn c) {
        return c.channel < 0 ? null : channels[c.channel];
    }

    private void flush(Conn c) {
        try {
            c.pending.flip();
            c.socket.write(c.pending);
            if (c.pending.hasRemaining()) {
                c.pending.compact();
            } else {
                c.pending = null;
                c.key.interestOps(SelectionKey.OP_READ);
            }
        } catch (IOException e) {
            drop(c, 1006);
        }
    }

    private void read(Conn c) {
        int start = 0;
        if (c.carryLength > 0) {
            System.arraycopy(c.carry, 0, buffer, 0, c.carryLength);
            start = c.carryLength;
            c.carryLength = 0;
        }
        int n;
        try {
            readBuffer.clear().position(start);
            n = c.socket.read(readBuffer);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            drop(c, 1006);
            return;
        }
        bytesRead += n;
        int end = start + n;
        int at = 0;
        if (c.state == Conn.State.HANDSHAKING) {
            int headersEnd = Frames.indexOf(buffer, 0, end, HEADERS_END);
            if (headersEnd < 0) {
                keep(c, 0, end);
                return;
            }
            if (!Frames.startsWith(buffer, 0, end, Frames.ascii("HTTP/1.1 101"))) {
                c.listener.error(c, Wire.string(buffer, 0, headersEnd));
                drop(c, 1002);
                return;
            }
            c.state = Conn.State.OPEN;
            at = headersEnd + 4;
            c.wire.opened(this, c, channelName(c));
        }
        at = frames(c, at, end);
        if (at < end && c.state == Conn.State.OPEN) {
            keep(c, at, end);
        }
    }

    /** Handles the complete frames in buffer[at, end); returns where the first incomplete one starts. */
    private int frames(Conn c, int at, int end) {
        while (end - at >= 2 && c.state == Conn.State.OPEN) {
            int opcode = buffer[at] & 0x0f;
            int length = buffer[at + 1] & 0x7f;
            int header = 2;
            if (length == 126) {
                if (end - at < 4) {
                    break;
                }
                length = ((buffer[at + 2] & 0xff) << 8) | (buffer[at + 3] & 0xff);
                header = 4;
            } else if (length == 127) {
                if (end - at < 10) {
                    break;
                }
                long l = 0;
                for (int i = 0; i < 8; i++) {
                    l = (l << 8) | (buffer[at + 2 + i] & 0xff);
                }
                length = (int) l;
                header = 10;
            }
            if (end - at < header + length) {
                break;
            }
            int from = at + header;
            int to = from + length;
            if (opcode == Frames.TEXT || opcode == 0) {
                c.received++;
                c.wire.text(this, c, channelName(c), buffer, from, to);
            } else if (opcode == Frames.PING) {
                pings++;
                byte[] payload = new byte[length];
                System.arraycopy(buffer, from, payload, 0, length);
                send(c, Frames.frame(Frames.PONG, payload));
            } else if (opcode == Frames.CLOSE) {
                int code = length >= 2 ? ((buffer[from] & 0xff) << 8) | (buffer[from + 1] & 0xff) : 1005;
                send(c, Frames.frame(Frames.CLOSE, new byte[] {(byte) (code >> 8), (byte) code}));
                drop(c, code);
            }
            at = to;
        }
        return at;
    }

    private void keep(Conn c, int from, int to) {
        int n = to - from;
        if (c.carry == null || c.carry.length < n) {
            c.carry = new byte[Math.max(n, 512)];
        }
        System.arraycopy(buffer, from, c.carry, 0, n);
        c.carryLength = n;
    }

    private void drop(Conn c, int code) {
        if (c.state == Conn.State.CLOSED) {
            return;
        }
        if (!c.ready) {
            opening--;
        }
        c.state = Conn.State.CLOSED;
        c.closeCode = code;
        closeQuietly(c);
        c.listener.closed(c, code);
    }

    private static void closeQuietly(Conn c) {
        c.carry = null;
        c.pending = null;
        try {
            if (c.socket != null) {
                c.socket.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Marks a connection ready (called by listeners through {@link #ready}). */
    void ready(Conn c) {
        if (!c.ready) {
            c.ready = true;
            opening--;
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        selector.close();
    }
}
