package io.duplex.bridge.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.config.ConfigLoader;
import io.duplex.config.ConfigSource;
import io.duplex.config.DuplexConfig;
import io.duplex.config.Setting;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules between topics and channels, both ways, and what an MQTT message becomes. */
class TopicMappingTest {

    private static DuplexConfig.Mqtt mqtt(String... keyValues) {
        Map<Setting, String> flags = new HashMap<>(Map.of(Setting.BRIDGES, "mqtt", Setting.MQTT_URI, "mqtt://b"));
        for (int i = 0; i < keyValues.length; i += 2) {
            flags.put(Setting.byName(keyValues[i]), keyValues[i + 1]);
        }
        return ConfigLoader.load(ConfigSource.flags(flags)).mqtt();
    }

    @Test
    void topicsBecomeChannelsAndBackTheSame() {
        assertEquals("plant.7.temperature", TopicNames.toChannel("plant/7/temperature"));
        assertEquals("truck@201.pos@2Ex.@40home", TopicNames.toChannel("truck 1/pos.x/@home"));
        assertEquals("temp@C2@B0C", TopicNames.toChannel("temp°C"));
        for (String topic : new String[] {"plant/7/temperature", "truck 1/pos.x/@home", "temp°C", "a//b", "/lead"}) {
            assertEquals(topic, TopicNames.toTopic(TopicNames.toChannel(topic)), topic);
        }
    }

    @Test
    void channelsBecomeTopicsWithoutWildcards() {
        assertEquals("chat/room-1", TopicNames.toTopic("chat.room-1"));
        assertEquals("news@231", TopicNames.toTopic("news#1"));
        assertEquals("a@2Fb/@2B", TopicNames.toTopic("a@2Fb.@2B"), "escapes of / + # stay written");
        assertEquals("x@", TopicNames.toTopic("x@"));
    }

    @Test
    void routesPickLevelsAndTheFirstMatchWins() throws Exception {
        MessageMapping mapping = new MessageMapping(mqtt("mqtt.in.filters", "plant/+/temperature,fleet/#",
                "mqtt.in.channels", "plant/+/temperature=temperature.{level:2},*=all.{level:-1}"), "node-1");
        assertEquals("temperature.7", mapping.channel("plant/7/temperature").value());
        assertEquals("all.position", mapping.channel("fleet/truck-1/position").value());
        MessageMapping.Unfit tooLong = assertThrows(MessageMapping.Unfit.class, () -> mapping.channel("fleet/" + "x".repeat(300)));
        assertTrue(tooLong.getMessage().contains("is not valid"), tooLong.getMessage());
    }

    @Test
    void payloadsAreJsonOrText() throws Exception {
        assertEquals("{\"a\":1}", MessageMapping.data(bytes("{\"a\":1}")).json());
        assertEquals("21.5", MessageMapping.data(bytes("21.5")).json());
        assertEquals("\"on\"", MessageMapping.data(bytes("on")).json());
        assertEquals("\"{oops\"", MessageMapping.data(bytes("{oops")).json());
        assertThrows(MessageMapping.Unfit.class, () -> MessageMapping.data(new byte[] {(byte) 0xff, (byte) 0xfe}));
        assertThrows(MessageMapping.Unfit.class, () -> MessageMapping.data(bytes("null")));
    }

    @Test
    void aDevicesIdMakesTheSameKeyOnEveryNodeWithoutItTheSessionAndPacketDo() throws Exception {
        DuplexConfig.Mqtt json = mqtt("mqtt.in.filters", "#", "mqtt.in.id", "json:id");
        byte[] payload = bytes("{\"id\":\"r-1\",\"v\":2}");
        String onA = new MessageMapping(json, "a").key("t/1", payload, 5, Optional.empty(), MessageMapping.data(payload));
        String onB = new MessageMapping(json, "b").key("t/1", payload, 9, Optional.empty(), MessageMapping.data(payload));
        assertEquals(onA, onB);
        DuplexConfig.Mqtt property = mqtt("mqtt.in.filters", "#");
        MessageMapping a = new MessageMapping(property, "a");
        assertEquals(a.key("t/1", payload, 1, Optional.of("m-1"), MessageMapping.data(payload)),
                new MessageMapping(property, "b").key("t/1", payload, 2, Optional.of("m-1"), MessageMapping.data(payload)));
        assertNotEquals(a.key("t/1", payload, 1, Optional.of("m-1"), MessageMapping.data(payload)),
                a.key("t/2", payload, 1, Optional.of("m-1"), MessageMapping.data(payload)), "ids are per topic");
        String first = a.key("t/1", payload, 1, Optional.empty(), MessageMapping.data(payload));
        assertEquals(first, a.key("t/1", payload, 1, Optional.empty(), MessageMapping.data(payload)), "a redelivery");
        assertNotEquals(first, a.key("t/1", payload, 2, Optional.empty(), MessageMapping.data(payload)), "another message");
        assertTrue(first.length() < 255 && first.chars().allMatch(c -> c >= 0x20 && c <= 0x7e));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
