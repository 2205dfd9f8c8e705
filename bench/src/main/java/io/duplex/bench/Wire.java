package io.duplex.bench;

import java.nio.charset.StandardCharsets;

/** What one target speaks on a WebSocket: where to connect, how to say hello and subscribe, how a message looks. */
abstract class Wire {
    static final byte[] KEY_S = Frames.ascii("\"s\":");
    static final byte[] KEY_T = Frames.ascii("\"t\":");
    /** Pads the data of a message to about 100 bytes of JSON, like the measurements. */
    static final String PAD = "x".repeat(58);

    /** The request target of the upgrade for a subscriber or publisher of {@code channel}. */
    abstract String path(String channel, boolean publisher);

    /** The handshake answered 101: say hello. */
    abstract void opened(Loop loop, Conn c, String channel);

    /** A text frame from the server, in b[from, to). */
    abstract void text(Loop loop, Conn c, String channel, byte[] b, int from, int to);

    /** The frame a publisher sends to publish message {@code seq} on {@code channel}, meant to leave at {@code nanos}. */
    abstract byte[] publish(String channel, long seq, long nanos);

    /** The data of every message: {"s":seq,"t":nanos,"p":"xxx…"}. */
    static String data(long seq, long nanos) {
        return "{\"s\":" + seq + ",\"t\":" + nanos + ",\"p\":\"" + PAD + "\"}";
    }

    static String string(byte[] b, int from, int to) {
        return new String(b, from, Math.min(to - from, 300), StandardCharsets.UTF_8);
    }

    /** Duplex's protocol v1 (docs/protocol.md): connect, subscribe, publish with an id; messages carry offsets. */
    static final class Duplex extends Wire {
        private static final byte[] CONNECT = Frames.text("{\"id\":1,\"type\":\"connect\"}");
        private static final byte[] MESSAGE = Frames.ascii("{\"type\":\"message\"");
        private static final byte[] OFFSET = Frames.ascii("\"offset\":");
        private static final byte[] CONNECTED = Frames.ascii("\"type\":\"connected\"");
        private static final byte[] SUBSCRIBED = Frames.ascii("\"type\":\"subscribed\"");
        private static final byte[] PUBLISHED = Frames.ascii("\"type\":\"published\"");

        @Override
        String path(String channel, boolean publisher) {
            return "/ws";
        }

        @Override
        void opened(Loop loop, Conn c, String channel) {
            loop.send(c, CONNECT);
        }

        @Override
        void text(Loop loop, Conn c, String channel, byte[] b, int from, int to) {
            if (Frames.startsWith(b, from, to, MESSAGE)) {
                c.listener.message(c, Frames.number(b, from, to, OFFSET), Frames.number(b, from, to, KEY_T));
            } else if (Frames.indexOf(b, from, to, PUBLISHED) >= 0) {
                c.listener.published(c, Frames.number(b, from, to, OFFSET));
            } else if (Frames.indexOf(b, from, to, CONNECTED) >= 0) {
                if (c.publisher || channel == null) {
                    c.listener.ready(c);
                } else {
                    loop.send(c, Frames.text("{\"id\":2,\"type\":\"subscribe\",\"channel\":\"" + channel + "\"}"));
                }
            } else if (Frames.indexOf(b, from, to, SUBSCRIBED) >= 0) {
                c.last = Frames.number(b, from, to, OFFSET);
                c.listener.ready(c);
            } else {
                c.listener.error(c, string(b, from, to));
            }
        }

        @Override
        byte[] publish(String channel, long seq, long nanos) {
            return Frames.text("{\"id\":" + seq + ",\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":"
                    + data(seq, nanos) + "}");
        }
    }

    /** The bare broadcast (BareServer): the channel is in the URL, a subscriber's "hi" is answered "ok". */
    static final class Bare extends Wire {
        private static final byte[] HI = Frames.text("hi");
        private static final byte[] OK = Frames.ascii("ok");

        @Override
        String path(String channel, boolean publisher) {
            return "/bare?c=" + (channel == null ? "none" : channel) + (publisher ? "&pub=1" : "");
        }

        @Override
        void opened(Loop loop, Conn c, String channel) {
            if (c.publisher) {
                c.listener.ready(c);
            } else {
                loop.send(c, HI);
            }
        }

        @Override
        void text(Loop loop, Conn c, String channel, byte[] b, int from, int to) {
            if (to - from == 2 && Frames.startsWith(b, from, to, OK)) {
                c.listener.ready(c);
                return;
            }
            long seq = Frames.number(b, from, to, KEY_S);
            if (seq < 0) {
                c.listener.error(c, string(b, from, to));
                return;
            }
            c.listener.message(c, seq, Frames.number(b, from, to, KEY_T));
        }

        @Override
        byte[] publish(String channel, long seq, long nanos) {
            return Frames.text(data(seq, nanos));
        }
    }

    /**
     * Socket.IO 4 over Engine.IO 4, WebSocket transport only: the server's open packet ({@code 0{…}}) is answered by a
     * namespace connect ({@code 40}); pings ({@code 2}) by pongs ({@code 3}); events are {@code 42[…]}, acks {@code 43…}.
     */
    static final class SocketIo extends Wire {
        private static final byte[] NAMESPACE = Frames.text("40");
        private static final byte[] PONG = Frames.text("3");

        @Override
        String path(String channel, boolean publisher) {
            return "/socket.io/?EIO=4&transport=websocket";
        }

        @Override
        void opened(Loop loop, Conn c, String channel) {
            // The server speaks first (open packet).
        }

        @Override
        void text(Loop loop, Conn c, String channel, byte[] b, int from, int to) {
            byte type = b[from];
            if (type == '4' && to - from > 1) {
                byte kind = b[from + 1];
                if (kind == '2') {
                    long seq = Frames.number(b, from, to, KEY_S);
                    if (seq >= 0) {
                        c.listener.message(c, seq, Frames.number(b, from, to, KEY_T));
                        return;
                    }
                } else if (kind == '0') {
                    if (c.publisher || channel == null) {
                        c.listener.ready(c);
                    } else {
                        loop.send(c, Frames.text("420[\"sub\",\"" + channel + "\"]"));
                    }
                    return;
                } else if (kind == '3') {
                    c.listener.ready(c);
                    return;
                }
            } else if (type == '0') {
                loop.send(c, NAMESPACE);
                return;
            } else if (type == '2') {
                loop.send(c, PONG);
                return;
            }
            c.listener.error(c, string(b, from, to));
        }

        @Override
        byte[] publish(String channel, long seq, long nanos) {
            return Frames.text("42[\"pub\",\"" + channel + "\"," + data(seq, nanos) + "]");
        }
    }
    /**
     * Pusher Channels protocol 7 on Duplex's Pusher door ({@code /app/KEY}, docs/protocols.md) for the subscribers, and
     * protocol v1 on {@code /ws} for the publisher, on the Duplex channel the Pusher channel is
     * ({@code pusher:APP:NAME}): one channel space, the same publish reaching both. A Duplex message that is not a Pusher
     * event reaches pusher clients as the event {@code duplex:message} whose data string is the message's JSON, so its
     * sequence number is read escaped ({@code \"s\":}).
     */
    static final class Pusher extends Wire {
        static final String APP = "bench";
        static final String KEY = "bench-key";
        static final String SECRET = "bench-secret-0123456789";
        private static final byte[] EVENT = Frames.ascii("{\"event\":\"duplex:message\"");
        private static final byte[] S = Frames.ascii("\\\"s\\\":");
        private static final byte[] T = Frames.ascii("\\\"t\\\":");
        private static final byte[] ESTABLISHED = Frames.ascii("pusher:connection_established");
        private static final byte[] SUCCEEDED = Frames.ascii("pusher_internal:subscription_succeeded");
        private static final byte[] PING = Frames.ascii("pusher:ping");
        private static final byte[] PONG = Frames.text("{\"event\":\"pusher:pong\",\"data\":{}}");
        private final Duplex publisher = new Duplex();

        @Override
        String path(String channel, boolean publisher) {
            return publisher ? "/ws" : "/app/" + KEY + "?protocol=7&client=duplex-bench&version=1.0";
        }

        @Override
        void opened(Loop loop, Conn c, String channel) {
            if (c.publisher) {
                publisher.opened(loop, c, channel);
            }
            // A Pusher server speaks first (pusher:connection_established).
        }

        @Override
        void text(Loop loop, Conn c, String channel, byte[] b, int from, int to) {
            if (c.publisher) {
                publisher.text(loop, c, channel, b, from, to);
            } else if (Frames.startsWith(b, from, to, EVENT)) {
                c.listener.message(c, Frames.number(b, from, to, S), Frames.number(b, from, to, T));
            } else if (Frames.indexOf(b, from, to, ESTABLISHED) >= 0) {
                if (channel == null) {
                    c.listener.ready(c);
                } else {
                    loop.send(c, Frames.text("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}"));
                }
            } else if (Frames.indexOf(b, from, to, SUCCEEDED) >= 0) {
                c.listener.ready(c);
            } else if (Frames.indexOf(b, from, to, PING) >= 0) {
                loop.send(c, PONG);
            } else {
                c.listener.error(c, string(b, from, to));
            }
        }

        @Override
        byte[] publish(String channel, long seq, long nanos) {
            return publisher.publish("pusher:" + APP + ":" + channel, seq, nanos);
        }
    }
}
