package io.duplex.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MQTT bridge's settings: what they accept, and the one line each mistake gets before anything starts. */
class MqttSettingsTest {

    private static DuplexConfig load(String... keyValues) {
        Map<Setting, String> flags = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            flags.put(Setting.byName(keyValues[i]), keyValues[i + 1]);
        }
        return ConfigLoader.load(ConfigSource.flags(flags));
    }

    private static String problem(String... keyValues) {
        List<String> problems = assertThrows(ConfigException.class, () -> load(keyValues)).problems();
        assertEquals(1, problems.size(), problems.toString());
        return problems.get(0);
    }

    private static String[] with(String... more) {
        String[] base = {"bridges", "mqtt", "mqtt.uri", "mqtt://broker.example"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void aBridgeWithFiltersRoutesAndPatternsIsReadAsWritten() {
        DuplexConfig.Mqtt mqtt = load(with("mqtt.in.filters", "plant/+/temperature,fleet/#", "mqtt.in.channels",
                "plant/+/temperature=temperature.{level:2},*={topic}", "mqtt.out.channels", "commands.*",
                "mqtt.out.topic", "duplex/{channel}", "mqtt.out.qos", "2", "mqtt.out.retain", "true")).mqtt();
        assertEquals("mqtt://broker.example:1883", mqtt.address().orElseThrow().toString());
        assertEquals("tcp://broker.example:1883", mqtt.address().orElseThrow().clientUri());
        assertTrue(mqtt.v5());
        assertEquals("temperature.{level:2}", mqtt.route("plant/7/temperature").orElseThrow().template().toString());
        assertEquals("{topic}", mqtt.route("fleet/truck-1/position").orElseThrow().template().toString());
        assertEquals("duplex/plant/7", mqtt.outTopic().render("plant/7"));
        assertEquals(2, mqtt.outQos());
        assertTrue(mqtt.outRetain() && mqtt.inbound() && mqtt.outbound());
        assertEquals("duplex", mqtt.inGroup());
        assertEquals("property:message-id", mqtt.inId().toString());
        assertEquals(3600, mqtt.sessionExpiry().toSeconds());
    }

    @Test
    void mqttsDefaultsToPort8883AndVersionThreeIsAChoice() {
        DuplexConfig.Mqtt mqtt = load(with("mqtt.uri", "mqtts://[::1]", "mqtt.version", "3.1.1", "mqtt.out.channels", "*",
                "mqtt.in.id", "json:id")).mqtt();
        assertEquals("ssl://[::1]:8883", mqtt.address().orElseThrow().clientUri());
        assertFalse(mqtt.v5());
        assertEquals(MqttIdSource.Kind.JSON, mqtt.inId().kind());
    }

    @Test
    void badBrokerAddressesFailWithTheReasonAndNoCredentials() {
        assertTrue(problem(with("mqtt.uri", "tcp://broker:1883", "mqtt.out.channels", "*")).contains("the scheme must be mqtt or mqtts"));
        String withPassword = problem(with("mqtt.uri", "mqtt://user:hunter2@broker", "mqtt.out.channels", "*"));
        assertTrue(withPassword.contains("credentials go in mqtt.username"), withPassword);
        assertFalse(withPassword.contains("hunter2"), withPassword);
        assertTrue(problem(with("mqtt.uri", "mqtt://broker:99999", "mqtt.out.channels", "*")).contains("the port is not from 1 to 65535"));
        assertTrue(problem(with("mqtt.uri", "mqtt://broker/topic", "mqtt.out.channels", "*")).contains("no path"));
    }

    @Test
    void badFiltersFailNamingTheFilter() {
        assertTrue(problem(with("mqtt.in.filters", "plant/#/x")).contains("# must be last"));
        assertTrue(problem(with("mqtt.in.filters", "plant/a+/x")).contains("must each stand alone"));
        assertTrue(problem(with("mqtt.in.filters", "$share/g/plant/#")).contains("names a shared subscription itself"));
        assertTrue(problem(with("mqtt.in.filters", "a,,b")).contains("an item is empty"));
    }

    @Test
    void badRoutesFailNamingWhatIsWrong() {
        assertTrue(problem(with("mqtt.in.filters", "a/#", "mqtt.in.channels", "a/#=chan {topic}")).contains("cannot hold"));
        assertTrue(problem(with("mqtt.in.filters", "a/#", "mqtt.in.channels", "a/#={key}")).contains("known are"));
        assertTrue(problem(with("mqtt.in.filters", "a/+", "mqtt.in.channels", "a/+=x.{level:3}")).contains("may have only 2 levels"));
        assertTrue(problem(with("mqtt.in.filters", "a/+", "mqtt.in.channels", "a/+=x.{level:0}")).contains("not a level number"));
        assertTrue(problem(with("mqtt.in.filters", "a/+", "mqtt.in.channels", "a/+=x,a/+=y")).contains("two routes"));
    }

    @Test
    void aFilterThatNoRouteCoversFailsTheStart() {
        String problem = problem(with("mqtt.in.filters", "plant/+/temperature,fleet/#", "mqtt.in.channels",
                "plant/+/+=p.{level:2}"));
        assertTrue(problem.contains("mqtt.in.filters names fleet/#, which no route of mqtt.in.channels covers"), problem);
    }

    @Test
    void settingsThatMakeNoSenseTogetherFail() {
        assertTrue(problem("mqtt.uri", "mqtt://b").contains("bridges does not name mqtt"));
        assertTrue(problem("bridges", "mqtt", "mqtt.out.channels", "*").contains("needs mqtt.uri"));
        assertTrue(problem(with()).contains("nothing to do"));
        assertTrue(problem(with("mqtt.out.channels", "*", "mqtt.password", "p")).contains("without mqtt.username"));
        assertTrue(problem(with("mqtt.out.channels", "*", "mqtt.ssl.truststore", "ca.pem")).contains("not mqtts://"));
        assertTrue(problem(with("mqtt.out.channels", "*", "mqtt.in.group", "a/b")).contains("shared subscription name"));
        assertTrue(problem(with("mqtt.out.channels", "*", "mqtt.out.topic", "a/#")).contains("cannot hold"));
    }

    @Test
    void theMqttBridgeCanBeRequiredForReadiness() {
        assertEquals(List.of("mqtt"), load(with("mqtt.out.channels", "*", "bridges.required", "mqtt")).bridgesRequired());
        assertTrue(problem("bridges", "kafka", "kafka.bootstrap.servers", "k:9092", "kafka.in.topics", "t", "bridges.required", "mqtt")
                .startsWith("bridges.required names mqtt, which bridges does not run"));
    }

    @Test
    void withMqtt311TheFiltersMustNotBringBackWhatTheBridgePublishes() {
        String loop = problem(with("mqtt.version", "3.1.1", "mqtt.in.filters", "plant/#", "mqtt.out.channels", "plant.*"));
        assertTrue(loop.startsWith("mqtt.in.filters names plant/#, which matches topics of mqtt.out.topic ({channel}): with "
                + "mqtt.version=3.1.1 the bridge cannot mark"), loop);
        assertFalse(load(with("mqtt.version", "3.1.1", "mqtt.in.filters", "plant/#", "mqtt.out.channels", "plant.*",
                "mqtt.out.topic", "duplex/out/{channel}")).mqtt().v5(), "apart, they are fine");
        assertTrue(load(with("mqtt.in.filters", "plant/#", "mqtt.out.channels", "plant.*")).mqtt().v5(),
                "with MQTT 5 the bridge marks its messages: the same settings are fine");
    }

    @Test
    void aFilterMayMatchATemplateWhereSomeChannelWouldLandOnIt() {
        TopicTemplate channel = TopicTemplate.parse("{channel}");
        TopicTemplate out = TopicTemplate.parse("duplex/out/{channel}");
        TopicTemplate fixed = TopicTemplate.parse("duplex/commands");
        assertTrue(TopicFilter.parse("#").mayMatch(out));
        assertTrue(TopicFilter.parse("plant/+/x").mayMatch(channel));
        assertTrue(TopicFilter.parse("duplex/+/a/b").mayMatch(out));
        assertTrue(TopicFilter.parse("duplex/out/#").mayMatch(out));
        assertFalse(TopicFilter.parse("duplex/out").mayMatch(out), "{channel} is at least one level");
        assertFalse(TopicFilter.parse("plant/#").mayMatch(out));
        assertFalse(TopicFilter.parse("duplex/in/+").mayMatch(out));
        assertTrue(TopicFilter.parse("duplex/+").mayMatch(fixed));
        assertFalse(TopicFilter.parse("duplex/+/x").mayMatch(fixed));
    }

    @Test
    void thePasswordIsNeverShown() {
        String problem = problem(with("mqtt.out.channels", "*", "mqtt.password", " "));
        assertTrue(problem.contains("mqtt.password = (secret)"), problem);
    }

    @Test
    void topicFiltersMatchAndCoverAsTheBrokerDoes() {
        TopicFilter plant = TopicFilter.parse("plant/+/temperature");
        assertTrue(plant.matches("plant/7/temperature"));
        assertFalse(plant.matches("plant/7/humidity"));
        assertFalse(plant.matches("plant/7/temperature/x"));
        TopicFilter all = TopicFilter.parse("#");
        assertTrue(all.matches("a") && all.matches("a/b/c"));
        assertFalse(all.matches("$SYS/broker/uptime"));
        assertTrue(TopicFilter.parse("plant/#").matches("plant"));
        assertTrue(TopicFilter.parse("plant/+/+").covers(plant));
        assertTrue(TopicFilter.parse("plant/#").covers(plant));
        assertFalse(plant.covers(TopicFilter.parse("plant/+/+")));
        assertFalse(TopicFilter.parse("plant/+").covers(TopicFilter.parse("plant/#")));
    }
}
