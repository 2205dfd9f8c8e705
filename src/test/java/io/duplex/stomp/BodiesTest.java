package io.duplex.stomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duplex.channel.Payload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BodiesTest {

    @Test
    void jsonIsDataAndTextIsAJsonString() {
        assertEquals("{\"a\":[1,2]}", Bodies.data("application/json", "{ \"a\" : [1, 2] }").json());
        assertEquals("{\"a\":1}", Bodies.data("application/vnd.example+json;charset=UTF-8", "{\"a\":1}").json());
        assertEquals("\"{\\\"a\\\":1}\"", Bodies.data(null, "{\"a\":1}").json(), "no content-type: text");
        assertEquals("\"hi\"", Bodies.data("text/plain;charset=utf-8", "hi").json());
        assertEquals("\"\"", Bodies.data("text/plain", "").json());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "application/json          | {\"a\":",
        "application/json          | {\"a\":1} trailing",
        "application/json          | ''",
        "application/octet-stream  | x",
        "text/plain;charset=latin1 | x",
    })
    void refusesBodiesItCannotCarry(String type, String body) {
        assertThrows(StompException.class, () -> Bodies.data(type, body));
    }

    @Test
    void aMessageGoesBackAsItCameIn() {
        assertEquals(new Bodies.Body("text/plain;charset=utf-8", "hi\n\"x\""), Bodies.of(Bodies.data("text/plain", "hi\n\"x\"")));
        assertEquals(new Bodies.Body("application/json", "{\"a\":1}"), Bodies.of(Payload.stored("{\"a\":1}")));
        assertEquals(new Bodies.Body("application/json", "12"), Bodies.of(Payload.stored("12")));
    }
}
