package io.duplex.pusher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.config.PusherApp;
import io.duplex.config.Secret;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pusher's signatures, checked against the worked examples of Pusher's own documentation. */
class SignaturesTest {
    // The key and secret of Pusher's docs (channel authorisation and HTTP API authentication examples).
    private static final PusherApp APP = new PusherApp("3", "278d425bdf160c739803", new Secret("7ad3773142a6692b25b8"), true, 0);

    @Test
    void aPrivateChannelAuthorisationIsTheOneOfPushersDocs() {
        String auth = ChannelAuth.sign(APP, "1234.1234", "private-foobar", null);
        assertEquals("278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4", auth);
        assertTrue(ChannelAuth.valid(APP, auth, "1234.1234", "private-foobar", null));
    }

    @Test
    void anAuthorisationIsForOneSocketOneChannelAndItsChannelData() {
        String data = "{\"user_id\":10,\"user_info\":{\"name\":\"Mr. Channels\"}}";
        String auth = ChannelAuth.sign(APP, "1234.1234", "presence-foobar", data);
        assertTrue(ChannelAuth.valid(APP, auth, "1234.1234", "presence-foobar", data));
        assertFalse(ChannelAuth.valid(APP, auth, "1234.1235", "presence-foobar", data));
        assertFalse(ChannelAuth.valid(APP, auth, "1234.1234", "presence-other", data));
        assertFalse(ChannelAuth.valid(APP, auth, "1234.1234", "presence-foobar", data.replace("10", "11")));
        PusherApp otherSecret = new PusherApp("3", APP.key(), new Secret("another-secret"), true, 0);
        assertFalse(ChannelAuth.valid(otherSecret, auth, "1234.1234", "presence-foobar", data));
    }

    @Test
    void anApiRequestSignatureIsTheOneOfPushersDocs() {
        String body = "{\"name\":\"foo\",\"channels\":[\"project-3\"],\"data\":\"{\\\"some\\\":\\\"data\\\"}\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertEquals("ec365a775a4cd0599faeb73354201b6f", Signatures.md5(bytes));
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("auth_key", List.of("278d425bdf160c739803"));
        query.put("auth_timestamp", List.of("1353088179"));
        query.put("auth_version", List.of("1.0"));
        query.put("body_md5", List.of("ec365a775a4cd0599faeb73354201b6f"));
        assertEquals("da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c",
                ApiSignature.sign(APP, "POST", "/apps/3/events", query));

        query.put("auth_signature", List.of("da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c"));
        assertEquals(Optional.empty(), ApiSignature.refusal(APP, "POST", "/apps/3/events", query, bytes, 1353088179 + 599));
    }

    @Test
    void anApiRequestOutsideTheWindowOrWithAnotherBodyIsRefused() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("auth_key", List.of(APP.key()));
        query.put("auth_timestamp", List.of("1000000"));
        query.put("auth_version", List.of("1.0"));
        query.put("body_md5", List.of(Signatures.md5(body)));
        query.put("auth_signature", List.of(ApiSignature.sign(APP, "POST", "/apps/3/events", query)));
        assertEquals(Optional.empty(), ApiSignature.refusal(APP, "POST", "/apps/3/events", query, body, 1000000 - 600));
        assertTrue(ApiSignature.refusal(APP, "POST", "/apps/3/events", query, body, 1000000 + 601).orElseThrow().contains("expired"));
        assertTrue(ApiSignature.refusal(APP, "POST", "/apps/3/events", query, "{ }".getBytes(StandardCharsets.UTF_8), 1000000)
                .orElseThrow().contains("body_md5"));
        assertTrue(ApiSignature.refusal(APP, "POST", "/apps/3/batch_events", query, body, 1000000).orElseThrow().contains("signature"));
        PusherApp otherKey = new PusherApp("3", "other-key", APP.secret(), true, 0);
        assertTrue(ApiSignature.refusal(otherKey, "POST", "/apps/3/events", query, body, 1000000).orElseThrow().contains("auth_key"));
    }
}
