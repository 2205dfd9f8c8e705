package io.duplex.stomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeartBeatTest {

    @Test
    void eachSideSendsAtTheSlowerOfWhatOneCanAndTheOtherWants() {
        HeartBeat server = new HeartBeat(10_000, 10_000);
        assertEquals(new HeartBeat(10_000, 20_000), HeartBeat.parse("20000,4000").negotiate(server));
        assertEquals(new HeartBeat(30_000, 10_000), HeartBeat.parse("1000,30000").negotiate(server));
        assertEquals(new HeartBeat(0, 10_000), HeartBeat.parse("5000,0").negotiate(server), "the client wants none");
        assertEquals(new HeartBeat(10_000, 0), HeartBeat.parse("0,5000").negotiate(server), "the client sends none");
        assertEquals(HeartBeat.NONE, HeartBeat.parse(null).negotiate(server), "absent: none");
        assertEquals("10000,0", new HeartBeat(10_000, 0).header());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1,2,3", "a,b", "-1,0", "1.5,0", "9999999999,0"})
    void refusesAHeaderThatIsNotTwoNumbers(String header) {
        assertThrows(StompException.class, () -> HeartBeat.parse(header));
    }
}
