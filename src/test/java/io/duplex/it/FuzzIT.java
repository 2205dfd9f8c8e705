package io.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.duplex.testing.RawWebSocket;
import io.duplex.testing.Rest;
import io.duplex.testing.TestServer;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random and mutated WebSocket frames and REST bodies against a running node. Every one must
 * be answered with an error (or a reply, when a mutation happens to be valid) or a close, the node must stay
 * up, and its heap, after a full GC, must not grow from one round to the next.
 */
class FuzzIT {
    private static final List<String> SEEDS = List.of(
            "{\"id\":1,\"type\":\"connect\",\"token\":\"abc\"}",
            "{\"id\":2,\"type\":\"subscribe\",\"channel\":\"fuzz.a\",\"since\":{\"epoch\":\"E\",\"offset\":3}}",
            "{\"id\":3,\"type\":\"unsubscribe\",\"channel\":\"fuzz.a\"}",
            "{\"id\":4,\"type\":\"publish\",\"channel\":\"fuzz.b\",\"data\":{\"a\":[1,2.5,true,null,\"x\"]}}",
            "{\"id\":5,\"type\":\"presence\",\"channel\":\"fuzz.a\"}",
            "{\"id\":6,\"type\":\"ping\"}",
            "{\"id\":7,\"type\":\"refresh\",\"token\":\"t\"}");
    private static final String[] NASTY = {"\\u0000", "\\ud800", "\uffff", "\u00e9", "\"", "\\", "{", "}", "[", "]", ",", ":",
        "null", "-0", "1e999", "99999999999999999999999", "NaN", "\t", " ", "\"type\"", "\"id\"", "\"channel\"", "#", "@"};
    private static final int WS_FRAMES = 3000;
    private static final int RAW_FRAMES = 300;
    private static final int REST_BODIES = 1500;

    private final Random random = new Random(20261126);

    @Test
    void theNodeAnswersEveryBadInputStaysUpAndDoesNotGrowItsHeap() throws IOException {
        try (TestServer server = TestServer.start("publish.rate", "1000000", "handshake.rate", "1000000", "history.ttl", "1s");
                Rest rest = new Rest(server.api())) {
            round(server, rest);
            long before = usedHeapAfterGc();
            Round figures = round(server, rest);
            long after = usedHeapAfterGc();
            System.out.printf("fuzz: %d WebSocket frames (%d answered by error, %d by reply, %d by close), %d raw frames, "
                            + "%d REST requests (%d 4xx, %d 2xx); heap after full GC %.1f MiB before, %.1f MiB after (%+.1f MiB)%n",
                    WS_FRAMES, figures.errors, figures.replies, figures.closes, RAW_FRAMES, REST_BODIES, figures.rest4xx,
                    figures.rest2xx, before / 1048576.0, after / 1048576.0, (after - before) / 1048576.0);
            assertEquals(200, rest.get("health").getStatus(), "the node is up");
            assertTrue(after - before < 16 * 1024 * 1024, "heap grew by " + (after - before) + " bytes in a round");
        }
    }

    private static final class Round {
        int errors;
        int replies;
        int closes;
        int rest4xx;
        int rest2xx;
    }

    private Round round(TestServer server, Rest rest) throws IOException {
        Round round = new Round();
        RawWebSocket socket = connected(server);
        for (int i = 0; i < WS_FRAMES; i++) {
            String frame = i % 4 == 0 ? randomText() : mutate(SEEDS.get(random.nextInt(SEEDS.size())));
            String answer;
            try {
                socket.sendText(frame);
                socket.sendText("{\"id\":-1,\"type\":\"ping\"}");
                answer = answer(socket, frame, true);
            } catch (java.net.SocketException e) {
                // The server closed first (a frame over the limit) and our next write found the socket gone.
                answer = "close";
            }
            switch (answer) {
                case "error" -> round.errors++;
                case "reply" -> round.replies++;
                default -> {
                    round.closes++;
                    socket.close();
                    socket = connected(server);
                }
            }
        }
        socket.close();
        for (int i = 0; i < RAW_FRAMES; i++) {
            int opcode = random.nextInt(16);
            try (RawWebSocket raw = connected(server)) {
                byte[] payload = new byte[random.nextInt(200)];
                random.nextBytes(payload);
                raw.sendFrame(opcode, payload);
                raw.sendText("{\"id\":-1,\"type\":\"ping\"}");
                // An unsolicited pong is ignored by the protocol (RFC 6455 5.5.3); everything else is answered.
                answer(raw, "opcode " + opcode, opcode != 0xA);
            } catch (java.net.SocketException e) {
                // closed by the server before our ping: that is its answer
            }
        }
        String[] types = {"application/json", "application/json; charset=utf-16", "text/plain", "application/xml", "application/json; charset=latin1"};
        for (int i = 0; i < REST_BODIES; i++) {
            String mutated = i % 3 == 0 ? randomText() : mutate("{\"data\":{\"k\":[1,\"v\",{\"n\":null}]}}");
            // Within frame.max.bytes: a larger body is refused (413) before it is read, and the client's write
            // of the rest then fails on its side; that path is RestContractIT's, not the fuzzer's.
            String body = mutated.length() > 100_000 ? mutated.substring(0, 100_000) : mutated;
            String channel = i % 5 == 0 ? "fuzz%2F" + i : i % 7 == 0 ? "bad channel" : "fuzz.rest";
            String type = types[random.nextInt(types.length)];
            try (Response r = rest.target("channels/" + channel + "/messages").request()
                    .post(Entity.entity(body.getBytes(StandardCharsets.UTF_8), type))) {
                int status = r.getStatus();
                if (status >= 500) {
                    fail("REST answered " + status + " to " + body + " as " + type + ": " + r.readEntity(String.class));
                }
                if (status >= 400) {
                    assertTrue(String.valueOf(r.getMediaType()).startsWith("application/problem+json"), "a problem document");
                    round.rest4xx++;
                } else {
                    round.rest2xx++;
                }
            }
        }
        return round;
    }

    private static RawWebSocket connected(TestServer server) throws IOException {
        RawWebSocket socket = RawWebSocket.open(server.ws());
        socket.setReadTimeout(Duration.ofSeconds(10));
        socket.sendText("{\"id\":0,\"type\":\"connect\"}");
        socket.readFrame();
        return socket;
    }

    /** Reads up to the pong: "error", "reply" (a mutation that was a valid command), or "close". */
    private static String answer(RawWebSocket socket, String sent, boolean required) throws IOException {
        String answer = null;
        while (true) {
            RawWebSocket.Frame frame;
            try {
                frame = socket.readFrame();
            } catch (IOException e) {
                if (answer == null && required) {
                    throw new AssertionError("no answer and no close for: " + sent, e);
                }
                return answer;
            }
            if (frame.opcode() == RawWebSocket.CLOSE) {
                return "close";
            }
            if (frame.opcode() == 0xA) {
                answer = "reply"; // the pong to a ping frame
                continue;
            }
            if (frame.opcode() != RawWebSocket.TEXT) {
                continue;
            }
            String text = frame.text();
            if (text.contains("\"id\":-1,\"type\":\"pong\"")) {
                if (answer == null && required) {
                    throw new AssertionError("no answer before the next command's for: " + sent);
                }
                return answer == null ? "none" : answer;
            }
            if (text.contains("\"type\":\"error\"")) {
                answer = "error";
            } else if (answer == null && text.contains("\"id\":")) {
                answer = "reply";
            }
        }
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
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations && s.length() > 0; m++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(7)) {
                case 0 -> s.deleteCharAt(at);
                case 1 -> s.insert(at, NASTY[random.nextInt(NASTY.length)]);
                case 2 -> s.setCharAt(at, (char) (32 + random.nextInt(95)));
                case 3 -> s.insert(at, "[".repeat(random.nextInt(5000)));
                case 4 -> s.insert(at, s.substring(at, Math.min(s.length(), at + random.nextInt(40))).repeat(1 + random.nextInt(50)));
                case 5 -> s.setLength(at);
                default -> s.insert(at, "\"" + "x".repeat(random.nextInt(70_000)) + "\"");
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
