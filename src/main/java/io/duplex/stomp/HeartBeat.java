package io.duplex.stomp;

/**
 * A {@code heart-beat} header: the smallest interval, in milliseconds, at which one side can send heart-beats, and the
 * interval at which it wants to receive them; 0 for never.
 */
public record HeartBeat(long send, long receive) {
    public static final HeartBeat NONE = new HeartBeat(0, 0);
    private static final long MAX_MILLIS = 24L * 3600 * 1000;

    /** The client's header; absent means none (STOMP 1.0's behaviour). */
    public static HeartBeat parse(String header) {
        if (header == null) {
            return NONE;
        }
        int comma = header.indexOf(',');
        if (comma < 0 || header.indexOf(',', comma + 1) >= 0) {
            throw new StompException("heart-beat must be two numbers of milliseconds, 'send,receive', not '" + header + "'");
        }
        return new HeartBeat(millis(header.substring(0, comma), header), millis(header.substring(comma + 1), header));
    }

    private static long millis(String part, String header) {
        String digits = part.trim();
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new StompException("heart-beat must be two numbers of milliseconds, 'send,receive', not '" + header + "'");
        }
        return Math.min(Long.parseLong(digits), MAX_MILLIS);
    }

    /**
     * What the server agrees to, given what it can do: it sends every {@code max(server.send, client.receive)} when
     * both want heart-beats that way, and expects the client's every {@code max(client.send, server.receive)}.
     * The result is from the server's side: {@code send} is how often it sends, {@code receive} how often it expects.
     */
    public HeartBeat negotiate(HeartBeat server) {
        long serverSends = server.send == 0 || receive == 0 ? 0 : Math.max(server.send, receive);
        long clientSends = send == 0 || server.receive == 0 ? 0 : Math.max(send, server.receive);
        return new HeartBeat(serverSends, clientSends);
    }

    /** As written in the header. */
    public String header() {
        return send + "," + receive;
    }
}
