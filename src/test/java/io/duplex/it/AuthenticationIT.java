package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.RunningNode;
import io.duplex.testing.Rest;
import io.duplex.testing.Tokens;
import io.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Connection tokens (JWT), channel permissions from claims and namespaces, refresh and expiry, over WebSocket. */
class AuthenticationIT {
    static final String SECRET = "s3cret-for-tests-0123456789abcdefghij";
    static final String API_KEY = "key-for-tests-0123456789";
    static final Tokens TOKENS = Tokens.hmac(SECRET);

    @RegisterExtension
    static final RunningNode node = new RunningNode("token.hmac.secret", SECRET, "api.key", API_KEY,
            "token.refresh.before", "2s", "connections.per.user", "3");

    private static Rest admin() {
        return new Rest(node.server().api(), API_KEY);
    }

    private static JsonObject refusedConnect(String connectFrame) {
        try (WsClient client = WsClient.open(node.ws())) {
            client.send(connectFrame);
            JsonObject error = client.awaitFrame(f -> f.getString("type").equals("error"));
            CloseReason close = client.awaitClose();
            assertEquals(1008, close.getCloseCode().getCode(), "refused connect closes with 1008");
            assertEquals("unauthorized", close.getReasonPhrase());
            assertEquals("unauthorized", error.getString("code"));
            assertEquals(1, error.getInt("id"));
            return error;
        }
    }

    @Test
    void connectWithoutATokenIsRefused() {
        assertTrue(refusedConnect("{\"id\":1,\"type\":\"connect\"}").getString("message").contains("token is required"));
    }

    @Test
    void everyKindOfBadTokenIsRefusedWithAReasonThatDoesNotRepeatIt() {
        String otherSecret = Tokens.hmac("another-secret-0123456789abcdefghijkl").make("alice", Duration.ofMinutes(5));
        String expired = TOKENS.make("alice", Duration.ofSeconds(-5));
        String noSub = TOKENS.make(null, Duration.ofMinutes(5));
        String unsigned = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSIsImV4cCI6NDEwMjQ0NDgwMH0.";
        String badClaim = TOKENS.make("alice", Duration.ofMinutes(5), Map.of("subscribe", 42));
        Map<String, String> cases = Map.of(
                "not-a-jwt", "not a signed JWT",
                otherSecret, "signature is not valid",
                expired, "expired at",
                noSub, "no sub claim",
                unsigned, "not signed with an accepted algorithm",
                badClaim, "subscribe claim must be a list");
        cases.forEach((token, reason) -> {
            String message = refusedConnect("{\"id\":1,\"type\":\"connect\",\"token\":\"" + token + "\"}").getString("message");
            assertTrue(message.contains(reason), message + " should say " + reason);
            assertFalse(message.contains(token), "the error repeats the token");
        });
        String noExp = TOKENS.sign(new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("alice").build());
        assertTrue(refusedConnect("{\"id\":1,\"type\":\"connect\",\"token\":\"" + noExp + "\"}").getString("message").contains("no exp"));
    }

    @Test
    void aValidTokenNamesTheUserInSessionsAndPresence() {
        String token = TOKENS.user("alice", List.of("room.*"), List.of());
        try (WsClient alice = WsClient.connect(node.ws(), token); Rest rest = admin()) {
            JsonObject connected = alice.frames().get(0);
            Instant expiresAt = Instant.parse(connected.getString("expiresAt"));
            assertTrue(expiresAt.isAfter(Instant.now().plusSeconds(500)), "expiresAt is the token's exp: " + connected);
            alice.subscribe("room.1");
            JsonObject session = rest.getJson("sessions/" + alice.sessionId());
            assertEquals("alice", session.getString("user"));
            JsonObject presence = alice.request("{\"type\":\"presence\",\"channel\":\"room.1\"}");
            assertEquals("alice", presence.getJsonArray("sessions").getJsonObject(0).getString("user"));
        }
    }

    @Test
    void claimsNamespacesAndUserChannelsDecideWhatAUserMayDo() {
        String token = TOKENS.user("alice", List.of("news", "room.*"), List.of("room.*"));
        try (WsClient alice = WsClient.connect(node.ws(), token)) {
            assertEquals("subscribed", alice.subscribe("news").getString("type"));
            assertEquals("subscribed", alice.subscribe("room.42").getString("type"));
            assertEquals("subscribed", alice.subscribe("public:lobby").getString("type"), "public: namespace is open to all");
            assertEquals("subscribed", alice.subscribe("inbox#alice").getString("type"), "her own user channel");

            JsonObject denied = alice.subscribe("inbox#bob");
            assertEquals("permission_denied", denied.getString("code"), "another user's channel: " + denied);
            assertEquals("permission_denied", alice.subscribe("newsroom").getString("code"), "only the exact name 'news'");
            assertEquals("permission_denied", alice.request("{\"type\":\"presence\",\"channel\":\"secret\"}").getString("code"));

            assertEquals("published", alice.publish("room.42", "{\"n\":1}").getString("type"));
            assertEquals("permission_denied", alice.publish("news", "{\"n\":1}").getString("code"), "subscribe is not publish");
            assertEquals("permission_denied", alice.publish("public:lobby", "{\"n\":1}").getString("code"));
            assertTrue(alice.isOpen(), "a denial is an error frame; the connection lives on");
        }
        String admin = TOKENS.make("root", Duration.ofMinutes(5), Map.of("admin", true));
        try (WsClient root = WsClient.connect(node.ws(), admin)) {
            assertEquals("subscribed", root.subscribe("inbox#bob").getString("type"));
            assertEquals("published", root.publish("anything", "{}").getString("type"));
        }
    }

    @Test
    void aConnectionIsToldToRefreshAndAFreshTokenKeepsItOpen() {
        String shortLived = TOKENS.make("carol", Duration.ofSeconds(4), Map.of("subscribe", List.of("c")));
        try (WsClient carol = WsClient.connect(node.ws(), shortLived)) {
            Instant firstExpiry = Instant.parse(carol.frames().get(0).getString("expiresAt"));
            JsonObject hint = carol.awaitFrame(f -> f.getString("type").equals("refresh"));
            assertEquals(firstExpiry, Instant.parse(hint.getString("expiresAt")));
            assertTrue(Instant.now().isBefore(firstExpiry), "the hint comes before expiry");

            String otherUser = TOKENS.make("mallory", Duration.ofMinutes(5));
            assertEquals("permission_denied", carol.request("{\"type\":\"refresh\",\"token\":\"" + otherUser + "\"}").getString("code"));
            assertEquals("unauthorized", carol.request("{\"type\":\"refresh\",\"token\":\"garbage\"}").getString("code"));

            String fresh = TOKENS.make("carol", Duration.ofMinutes(5), Map.of("subscribe", List.of("c")));
            JsonObject refreshed = carol.request("{\"type\":\"refresh\",\"token\":\"" + fresh + "\"}");
            assertEquals("refreshed", refreshed.getString("type"));
            assertTrue(Instant.parse(refreshed.getString("expiresAt")).isAfter(firstExpiry.plusSeconds(200)));

            await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(firstExpiry.plusSeconds(2)));
            assertTrue(carol.isOpen(), "still open after the first token's expiry");
            assertEquals("pong", carol.request("{\"type\":\"ping\"}").getString("type"));
        }
    }

    @Test
    void aConnectionWhoseTokenExpiresIsClosedWith4003() {
        String shortLived = TOKENS.make("dave", Duration.ofSeconds(2));
        try (WsClient dave = WsClient.connect(node.ws(), shortLived)) {
            CloseReason close = dave.awaitClose();
            assertEquals(4003, close.getCloseCode().getCode());
            assertEquals("token expired", close.getReasonPhrase());
            assertNotNull(dave.awaitFrame(f -> f.getString("type").equals("refresh")), "it was told before");
        }
    }

    @Test
    void aUserMayHoldOnlyConnectionsPerUserConnections() {
        String token = TOKENS.make("erin", Duration.ofMinutes(5));
        try (WsClient a = WsClient.connect(node.ws(), token); WsClient b = WsClient.connect(node.ws(), token);
                WsClient c = WsClient.connect(node.ws(), token); WsClient d = WsClient.open(node.ws())) {
            d.send("{\"id\":1,\"type\":\"connect\",\"token\":\"" + token + "\"}");
            JsonObject error = d.awaitFrame(f -> f.getString("type").equals("error"));
            assertEquals("limit_exceeded", error.getString("code"));
            assertEquals(1008, d.awaitClose().getCloseCode().getCode());
            a.close();
            await().atMost(WsClient.TIMEOUT).ignoreExceptions().until(() -> {
                try (WsClient again = WsClient.connect(node.ws(), token)) {
                    return again.isOpen();
                }
            });
        }
    }

    @Test
    void restWantsAnApiKeyOrATokenAndAnswers401And403AsProblems() {
        try (Rest anonymous = new Rest(node.server().api()); Rest wrongKey = new Rest(node.server().api(), "not-the-key-0123456789");
                Rest rest = admin()) {
            try (Response r = anonymous.get("sessions")) {
                assertEquals(401, r.getStatus());
                assertEquals("application/problem+json", r.getMediaType().toString());
                assertTrue(r.getHeaderString("WWW-Authenticate").startsWith("Bearer"));
                assertEquals("unauthorized", Rest.body(r).getString("code"));
            }
            try (Response r = wrongKey.get("sessions")) {
                assertEquals(401, r.getStatus());
                String detail = Rest.body(r).getString("detail");
                assertFalse(detail.contains("not-the-key"), detail);
            }
            try (Response r = anonymous.target("sessions").request().header("Authorization", "Basic YTpi").get()) {
                assertEquals(401, r.getStatus());
            }
            try (Response r = anonymous.post("channels/news/messages", "{\"data\":1}")) {
                assertEquals(401, r.getStatus(), "publishing needs credentials");
            }
            assertEquals(200, rest.get("sessions").getStatus());
            assertEquals("news", rest.publish("news", "{\"n\":1}").getString("channel"));
            try (Response r = anonymous.get("health")) {
                assertEquals(200, r.getStatus(), "health stays open for load balancers");
            }
            try (Response r = anonymous.get("openapi.json")) {
                assertEquals(200, r.getStatus());
            }
        }
    }

    @Test
    void aUserTokenOnRestHasTheRightsOfItsClaimsAndAnAdminTokenHasAll() {
        String user = TOKENS.user("frank", List.of("feed.*"), List.of("feed.own"));
        String admin = TOKENS.make("ops", Duration.ofMinutes(5), Map.of("admin", true));
        try (Rest asUser = new Rest(node.server().api(), user); Rest asAdmin = new Rest(node.server().api(), admin)) {
            assertEquals(201, asUser.post("channels/feed.own/messages", "{\"data\":1}").getStatus());
            try (Response r = asUser.post("channels/feed.other/messages", "{\"data\":1}")) {
                assertEquals(403, r.getStatus());
                assertEquals("permission_denied", Rest.body(r).getString("code"));
            }
            assertEquals(1, asUser.getJson("channels/feed.own/messages").getJsonArray("messages").size());
            assertEquals(200, asUser.get("channels/feed.own/presence").getStatus());
            assertEquals(403, asUser.get("channels/secret/messages").getStatus());
            assertEquals(403, asUser.get("sessions").getStatus(), "sessions are for admins");
            assertEquals(403, asUser.get("channels").getStatus(), "the list of every channel is for admins");
            assertEquals(200, asAdmin.get("sessions").getStatus());
            assertEquals(200, asAdmin.get("channels").getStatus());
        }
        String expired = TOKENS.make("frank", Duration.ofSeconds(-1));
        try (Rest late = new Rest(node.server().api(), expired); Response r = late.get("channels/feed.own")) {
            assertEquals(401, r.getStatus());
            assertTrue(Rest.body(r).getString("detail").contains("expired"));
        }
    }
}
