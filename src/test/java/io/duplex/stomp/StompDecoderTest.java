package io.duplex.stomp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StompDecoderTest {
    private static final StompLimits LIMITS = new StompLimits(8, 64, 100);
    private final StompDecoder decoder = new StompDecoder(LIMITS);

    private StompFrame one(String message) {
        List<StompFrame> frames = decoder.decode(message, StompVersion.V1_2);
        assertEquals(1, frames.size(), "one frame in " + message);
        return frames.get(0);
    }

    private StompException refused(String message) {
        return refused(message, StompVersion.V1_2);
    }

    private StompException refused(String message, StompVersion version) {
        return assertThrows(StompException.class, () -> decoder.decode(message, version), message);
    }

    @Test
    void readsAFrameWithHeadersAndABody() {
        StompFrame frame = one("SEND\ndestination:/topic/a\ncontent-type:application/json\n\n{\"a\":1}\0");
        assertEquals(StompCommand.SEND, frame.command());
        assertEquals("/topic/a", frame.header("destination"));
        assertEquals("application/json", frame.header("content-type"));
        assertEquals("{\"a\":1}", frame.body());
    }

    @Test
    void readsCrLfLinesAndTheEndOfLinesAfterAFrame() {
        StompFrame frame = one("SUBSCRIBE\r\nid:0\r\ndestination:/topic/a\r\n\r\n\0\r\n\n");
        assertEquals("0", frame.header("id"));
        assertEquals("/topic/a", frame.header("destination"));
        assertEquals("", frame.body());
    }

    @Test
    void aMessageOfEndOfLinesIsAHeartBeatWithNoFrame() {
        assertEquals(List.of(), decoder.decode("\n", StompVersion.V1_2));
        assertEquals(List.of(), decoder.decode("\r\n\n", StompVersion.V1_2));
        assertEquals(List.of(), decoder.decode("", StompVersion.V1_2));
    }

    @Test
    void readsSeveralFramesOfOneMessage() {
        List<StompFrame> frames = decoder.decode("\nSEND\ndestination:/topic/a\n\nx\0\nUNSUBSCRIBE\nid:1\n\n\0", StompVersion.V1_2);
        assertEquals(List.of(StompCommand.SEND, StompCommand.UNSUBSCRIBE), frames.stream().map(StompFrame::command).toList());
    }

    @Test
    void contentLengthCountsOctetsAndLetsTheBodyHoldNul() {
        String body = "é\0x";
        int octets = body.getBytes(StandardCharsets.UTF_8).length;
        StompFrame frame = one("SEND\ndestination:/topic/a\ncontent-length:" + octets + "\n\n" + body + "\0");
        assertEquals(body, frame.body());
    }

    @Test
    void theFirstOfARepeatedHeaderCounts() {
        assertEquals("/topic/first", one("SEND\ndestination:/topic/first\ndestination:/topic/second\n\n\0").header("destination"));
    }

    @Test
    void headerValuesAreUnescapedAsStomp12Says() {
        StompFrame frame = one("SUBSCRIBE\nid:a\\cb\\\\c\\nd\\re\ndestination:/topic/public\\cnews\n\n\0");
        assertEquals("a:b\\c\nd\re", frame.header("id"));
        assertEquals("/topic/public:news", frame.header("destination"));
    }

    @Test
    void connectIsNeverUnescapedAndAValueRunsPastItsFirstColon() {
        StompFrame frame = one("CONNECT\naccept-version:1.2\npasscode:a:b\\c\n\n\0");
        assertEquals("a:b\\c", frame.header("passcode"));
    }

    @Test
    void stomp10HasNoEscapesAndStomp11NoCarriageReturnEscape() {
        List<StompFrame> v10 = decoder.decode("SUBSCRIBE\nid:a\\cb\n\n\0", StompVersion.V1_0);
        assertEquals("a\\cb", v10.get(0).header("id"));
        assertEquals("a:b", decoder.decode("SUBSCRIBE\nid:a\\cb\n\n\0", StompVersion.V1_1).get(0).header("id"));
        refused("SUBSCRIBE\nid:a\\rb\n\n\0", StompVersion.V1_1);
    }

    @Test
    void anErrorAfterTheHeadersCarriesTheReceipt() {
        StompException e = refused("SEND\nreceipt:77\ncontent-length:5\n\nab\0");
        assertEquals("77", e.receipt());
        assertNull(refused("WARP\nreceipt:77\n\n\0").receipt());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "send\n\n\0",                                   // commands are case-sensitive
        "MESSAGE\n\n\0",                                // a server command
        "CONNECTED\n\n\0",
        "SEND",                                         // no end of line
        "SEND\ndestination:/topic/a\n\nbody",           // no NUL
        "SEND\ndestination\n\n\0",                      // no colon
        "SEND\n:value\n\n\0",                           // empty name
        "SEND\nid:a\\tb\n\n\0",                         // undefined escape
        "SEND\nid:ab\\\n\n\0",                          // lone backslash
        "SEND\nid:a\0b\n\n\0",                          // NUL in a header
        "SEND\nid:a\rb\n\n\0",                          // lone CR
        "SEND\r\r\n\n\0",
        "\rSEND\n\n\0",
        "SEND\ncontent-length:-1\n\n\0",
        "SEND\ncontent-length:1e3\n\n\0",
        "SEND\ncontent-length:\n\n\0",
        "SEND\ncontent-length:99999999999\n\n\0",
        "SEND\ncontent-length:101\n\n\0",               // over the body limit
        "SEND\ncontent-length:2\n\nabc\0",              // no NUL right after
        "SEND\ncontent-length:9\n\nabc\0",              // ends early
        "SEND\n\nthis body is over one hundred bytes long, which is more than the limit of the test allows, by a few more bytes\0",
        "SEND\na:1\nb:2\nc:3\nd:4\ne:5\nf:6\ng:7\nh:8\ni:9\n\n\0", // nine headers
        "SEND\nlong:0123456789012345678901234567890123456789012345678901234567890123456789\n\n\0",
        "SENDSENDSENDSENDSENDSENDSENDSENDSENDSENDSENDSENDSENDSENDSENDSENDSEND\n\n\0",
        "SEND\n\n\0UNSUBSCRIBE\nid:1\n\n",              // the second frame is cut: the whole message is refused
    })
    void refusesWhatStomp12DoesNotAllowOrTheLimitsDoNot(String message) {
        StompException e = refused(message);
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        assertTrue(e.getMessage().chars().noneMatch(c -> c == '\n' || c == '\r' || c == 0), "one line: " + e.getMessage());
    }

    @Test
    void refusesOctetsThatAreNotUtf8() {
        byte[] frame = {'S', 'E', 'N', 'D', '\n', '\n', (byte) 0xC3, (byte) 0x28, 0};
        assertThrows(StompException.class, () -> decoder.decode(frame, StompVersion.V1_2));
        byte[] header = {'S', 'E', 'N', 'D', '\n', 'a', ':', (byte) 0xFF, '\n', '\n', 0};
        assertThrows(StompException.class, () -> decoder.decode(header, StompVersion.V1_2));
    }

    @Test
    void whatTheEncoderWritesTheDecoderReadsBackForEveryVersion() {
        for (StompVersion version : StompVersion.values()) {
            StompHeaders headers = StompHeaders.of("id", version == StompVersion.V1_0 ? "s:1" : "s:1\\x\ny", "destination", "/topic/a:b");
            String text = StompEncoder.encode(new StompFrame(StompCommand.SEND, headers, "é\0\n"), version);
            StompFrame back = decoder.decode(text, version).get(0);
            assertEquals(headers.get("id"), back.header("id"), version.label());
            assertEquals("/topic/a:b", back.header("destination"));
            assertEquals("é\0\n", back.body());
        }
    }

    @Test
    void encodesWithContentLengthInOctets() {
        String text = StompEncoder.encode(new StompFrame(StompCommand.MESSAGE, StompHeaders.of("subscription", "a:b"), "é"), StompVersion.V1_2);
        assertEquals("MESSAGE\nsubscription:a\\cb\ncontent-length:2\n\né\0", text);
        assertArrayEquals("CONNECTED\nversion:1.2\n\n\0".getBytes(StandardCharsets.UTF_8),
                StompEncoder.encode(StompFrame.of(StompCommand.CONNECTED, StompHeaders.of("version", "1.2")), StompVersion.V1_2)
                        .getBytes(StandardCharsets.UTF_8));
    }
}
