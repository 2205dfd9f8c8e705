package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.RawWebSocket;
import io.duplex.testing.Rest;
import io.duplex.testing.TestServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random and mutated STOMP frames, as text and as binary messages, against the {@code /stomp} door of a
 * running node. Each must be answered: an ERROR frame and then a close, or (a mutation that happens to be valid) the
 * work done and the next frame's RECEIPT; never silence, never a close without its ERROR but where STOMP says so
 * (DISCONNECT, a message over frame.max.bytes: 1009). The node stays up, and its heap after a full GC does not grow
 * from one round to the next.
 */
class StompFuzzIT {
    private static final List<String> SEEDS = List.of(
            "SEND\ndestination:/topic/fuzz.a\ncontent-type:application/json\nreceipt:s1\n\n{\"a\":[1,2.5,true,null,\"x\"]}\0",
            "SEND\ndestination:/topic/fuzz.b\ncontent-length:5\n\nhe\0lo\0",
            "SEND\ndestination:/topic/fuzz\\cc\ncontent-type:text/plain;charset=utf-8\n\ntext\0\n\n",
            "SUBSCRIBE\nid:sub\\c0\ndestination:/topic/fuzz.a\nack:auto\nreceipt:s2\n\n\0",
            "UNSUBSCRIBE\nid:sub\\c0\n\n\0",
            "CONNECT\naccept-version:1.0,1.1,1.2\nhost:h\nheart-beat:100,100\n\n\0",
            "DISCONNECT\nreceipt:bye\n\n\0",
            "ACK\nid:1\n\n\0",
            "\r\n\n");
    private static final String[] NASTY = {"\0", "\n", "\r", "\r\n", ":", "\\", "\\c", "\\n", "\\r", "\\t", "é", "\uffff",
        "content-length:", "content-length:3\n", "receipt:", "destination:/topic/", "/queue/", "SEND", "CONNECT", "\n\n", "\u00ff"};
    private static final String MARKER = "SEND\ndestination:/topic/fuzz.marker\nreceipt:marker\n\nm\0";
    private static final int MESSAGES = 2000;

    private final Random random = new Random(20261207);

    @Test
    void theStompDoorAnswersEveryBadFrameWithAnErrorThenACloseAndTheNodeStaysUp() throws IOException {
        try (TestServer server = TestServer.start("publish.rate", "1000000", "handshake.rate", "1000000", "history.ttl", "1s");
                Rest rest = new Rest(server.api())) {
            round(server);
            long before = usedHeapAfterGc();
            Map<String, Integer> figures = round(server);
            long after = usedHeapAfterGc();
            System.out.printf("stomp fuzz: %d messages: %s; heap after full GC %.1f MiB before, %.1f MiB after (%+.1f MiB)%n",
                    MESSAGES, figures, before / 1048576.0, after / 1048576.0, (after - before) / 1048576.0);
            assertEquals(200, rest.get("health").getStatus(), "the node is up");
            assertTrue(figures.get("error") > MESSAGES / 4, "most mutations are errors: " + figures);
            assertTrue(figures.get("receipt") > 50, "some mutations are valid: " + figures);
            assertTrue(after - before < 16 * 1024 * 1024, "heap grew by " + (after - before) + " bytes in a round");
        }
    }

    private Map<String, Integer> round(TestServer server) throws IOException {
        Map<String, Integer> figures = new java.util.TreeMap<>(Map.of("error", 0, "receipt", 0, "close", 0));
        RawWebSocket socket = connected(server);
        for (int i = 0; i < MESSAGES; i++) {
            String text = i % 5 == 0 ? randomText() : mutate(SEEDS.get(random.nextInt(SEEDS.size())));
            String answer;
            try {
                if (i % 7 == 0) {
                    socket.sendFrame(0x2, text.getBytes(StandardCharsets.UTF_8));
                } else {
                    socket.sendText(text);
                }
                socket.sendText(MARKER);
                answer = answer(socket, text);
            } catch (java.net.SocketException e) {
                // Closed by the server before our marker (a message over the limit): that is its answer.
                answer = "close";
            }
            figures.merge(answer, 1, Integer::sum);
            if (!answer.equals("receipt")) {
                socket.close();
                socket = connected(server);
            }
        }
        socket.close();
        return figures;
    }

    private static RawWebSocket connected(TestServer server) throws IOException {
        RawWebSocket socket = RawWebSocket.open(server.stomp(), Map.of("Sec-WebSocket-Protocol", "v12.stomp"));
        socket.setReadTimeout(Duration.ofSeconds(10));
        socket.sendText("CONNECT\naccept-version:1.2\nhost:h\n\n\0");
        String connected = socket.readFrame().text();
        assertTrue(connected.startsWith("CONNECTED\n"), connected);
        return socket;
    }

    /**
     * Reads up to the marker's RECEIPT ("receipt") or the close: "error" when an ERROR came first (and then the close,
     * which must follow), "close" when the connection closed without one, which only DISCONNECT or an oversized
     * message may do, or when DISCONNECT's RECEIPT came (the client closes then).
     */
    private static String answer(RawWebSocket socket, String sent) throws IOException {
        boolean error = false;
        while (true) {
            RawWebSocket.Frame frame;
            try {
                frame = socket.readFrame();
            } catch (IOException e) {
                throw new AssertionError("no answer and no close for: " + printable(sent), e);
            }
            if (frame.opcode() == RawWebSocket.CLOSE) {
                int code = frame.closeCode();
                if (error) {
                    assertTrue(code == 1008 || code == 4005, "closed with " + code + " after an ERROR for: " + printable(sent));
                    return "error";
                }
                assertTrue(code == 1000 && sent.contains("DISCONNECT") || code == 1009 || code == 1007,
                        "closed with " + code + " without an ERROR for: " + printable(sent));
                return "close";
            }
            if (frame.opcode() != RawWebSocket.TEXT) {
                continue;
            }
            String text = frame.text();
            if (text.startsWith("ERROR\n")) {
                error = true;
            } else if (!error && text.startsWith("RECEIPT\nreceipt-id:marker\n")) {
                return "receipt";
            } else if (!error && text.startsWith("RECEIPT\n") && sent.startsWith("DISCONNECT")) {
                // The RECEIPT of DISCONNECT: the close is ours to make, as a client does.
                return "close";
            }
        }
    }

    private static String printable(String text) {
        String shown = text.length() > 300 ? text.substring(0, 300) + "…" : text;
        return shown.replace("\0", "^@").replace("\n", "\\n").replace("\r", "\\r");
    }

    private String randomText() {
        StringBuilder out = new StringBuilder();
        int length = random.nextInt(120);
        for (int i = 0; i < length; i++) {
            out.append(random.nextInt(4) == 0 ? NASTY[random.nextInt(NASTY.length)] : (char) (32 + random.nextInt(95)));
        }
        return out.toString();
    }

    private String mutate(String seed) {
        StringBuilder s = new StringBuilder(seed);
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations && s.length() > 0; m++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(7)) {
                case 0 -> s.deleteCharAt(at);
                case 1 -> s.insert(at, NASTY[random.nextInt(NASTY.length)]);
                case 2 -> s.setCharAt(at, (char) (32 + random.nextInt(95)));
                case 3 -> s.insert(at, "h:v\n".repeat(random.nextInt(60)));
                case 4 -> s.insert(at, s.substring(at, Math.min(s.length(), at + random.nextInt(40))).repeat(1 + random.nextInt(50)));
                case 5 -> s.setLength(at);
                default -> s.insert(at, "x".repeat(random.nextInt(160_000))); // over frame.max.bytes (128 KiB) at times
            }
        }
        return s.toString();
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            memory.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
