package io.duplex.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.channel.ChannelName;
import io.duplex.channel.IdempotencyKey;
import io.duplex.channel.StreamPosition;
import io.duplex.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CodecTest {
    private final Codec codec = new Codec();

    @Test
    void decodesEveryCommandOfVersion1() {
        assertEquals(new Command.Connect(1, "t"), codec.decode("{\"id\":1,\"type\":\"connect\",\"token\":\"t\"}"));
        assertEquals(new Command.Connect(1, null), codec.decode("{\"id\":1,\"type\":\"connect\"}"));
        assertEquals(new Command.Subscribe(2, ChannelName.of("news"), null), codec.decode("{\"id\":2,\"type\":\"subscribe\",\"channel\":\"news\"}"));
        assertEquals(new Command.Subscribe(3, ChannelName.of("news"), new StreamPosition("E", 38)),
                codec.decode("{\"id\":3,\"type\":\"subscribe\",\"channel\":\"news\",\"since\":{\"epoch\":\"E\",\"offset\":38}}"));
        assertEquals(new Command.Unsubscribe(4, ChannelName.of("news")), codec.decode("{\"id\":4,\"type\":\"unsubscribe\",\"channel\":\"news\"}"));
        Command.Publish publish = (Command.Publish) codec.decode("{\"id\":5,\"type\":\"publish\",\"channel\":\"news\",\"data\":{ \"a\" : [1, 2] }}");
        assertEquals("{\"a\":[1,2]}", publish.data().json(), "data is kept as compact JSON");
        assertEquals(null, publish.idempotencyKey());
        Command.Publish keyed = (Command.Publish) codec.decode(
                "{\"id\":5,\"type\":\"publish\",\"channel\":\"news\",\"data\":1,\"idempotencyKey\":\"order 17\"}");
        assertEquals(IdempotencyKey.of("order 17"), keyed.idempotencyKey());
        assertEquals(new Command.PresenceQuery(6, ChannelName.of("news")), codec.decode("{\"id\":6,\"type\":\"presence\",\"channel\":\"news\"}"));
        assertEquals(new Command.Ping(7), codec.decode("{\"type\":\"ping\",\"id\":7,\"extra\":\"ignored\"}"));
        assertEquals(new Command.Refresh(8, "t"), codec.decode("{\"id\":8,\"type\":\"refresh\",\"token\":\"t\"}"));
        FrameException noToken = assertThrows(FrameException.class, () -> codec.decode("{\"id\":9,\"type\":\"refresh\"}"));
        assertEquals(ErrorCode.BAD_REQUEST, noToken.toReply().code());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json                                            | bad_request     | ",
            "[1]                                                 | bad_request     | ",
            "{\"id\":\"1\",\"type\":\"ping\"}                    | bad_request     | ",
            "{\"id\":1.5,\"type\":\"ping\"}                      | bad_request     | ",
            "{\"id\":99999999999999999999,\"type\":\"ping\"}     | bad_request     | ",
            "{\"type\":\"ping\"}                                 | bad_request     | ",
            "{\"id\":1}                                          | bad_request     | 1",
            "{\"id\":1,\"type\":\"warp\"}                        | unknown_command | 1",
            "{\"id\":2,\"type\":\"subscribe\"}                   | bad_request     | 2",
            "{\"id\":2,\"type\":\"subscribe\",\"channel\":\"a b\"} | invalid_channel | 2",
            "{\"id\":2,\"type\":\"subscribe\",\"channel\":\"a\",\"since\":{\"offset\":1}} | bad_request | 2",
            "{\"id\":2,\"type\":\"subscribe\",\"channel\":\"a\",\"since\":{\"epoch\":\"e\",\"offset\":1e3}} | bad_request | 2",
            "{\"id\":5,\"type\":\"publish\",\"channel\":\"a\"}   | bad_request     | 5",
            "{\"id\":5,\"type\":\"publish\",\"channel\":\"a\",\"data\":null} | bad_request | 5",
            "{\"id\":1,\"type\":\"connect\",\"token\":7}         | bad_request     | 1",
            "{\"id\":5,\"type\":\"publish\",\"channel\":\"a\",\"data\":1,\"idempotencyKey\":7} | bad_request | 5",
            "{\"id\":5,\"type\":\"publish\",\"channel\":\"a\",\"data\":1,\"idempotencyKey\":\"\"} | bad_request | 5",
            "{\"id\":5,\"type\":\"publish\",\"channel\":\"a\",\"data\":1,\"idempotencyKey\":\"caf\u00e9\"} | bad_request | 5",
            "{\"id\":1,\"type\":\"ping\"} {}                       | bad_request     | ",
            "{\"id\":1,\"type\":\"ping\",\"x\":\"\\ud800\"}   | bad_request     | 1",
            "{\"id\":1,\"type\":\"ping\",\"x\":\"\\udc00\\ud800\"} | bad_request | 1",
            "'   '                                               | bad_request     | ",
    })
    void refusesBadFramesWithACodeAndTheIdWhenKnown(String frame, String code, Long id) {
        FrameException e = assertThrows(FrameException.class, () -> codec.decode(frame));
        assertEquals(code, e.code().code(), e.getMessage());
        assertEquals(id, e.id());
        assertTrue(!e.getMessage().isBlank());
    }

    @Test
    void aDeeplyNestedFrameIsRefusedNotFatal() {
        String deep = "{\"id\":1,\"type\":\"publish\",\"channel\":\"a\",\"data\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        FrameException e = assertThrows(FrameException.class, () -> codec.decode(deep));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
    }

    @Test
    void escapedCharactersOutsideTheBasicPlaneAreKept() {
        Command.Publish publish = (Command.Publish) codec.decode(
                "{\"id\":1,\"type\":\"publish\",\"channel\":\"a\",\"data\":\"\\ud83d\\ude00 \\\\ud800\"}");
        assertEquals("\"\ud83d\ude00 \\\\ud800\"", publish.data().json(), "an escaped backslash before 'ud800' is no escape");
    }

    @Test
    void theErrorReplyOfAFrameWithoutIdHasNullId() {
        FrameException e = assertThrows(FrameException.class, () -> codec.decode("{"));
        assertNull(e.toReply().id());
        assertInstanceOf(ServerFrame.ErrorReply.class, e.toReply());
    }
}
