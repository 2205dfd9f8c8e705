package io.duplex.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.duplex.config.ConfigException;
import io.duplex.config.DuplexConfig;
import io.duplex.config.Secret;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import io.duplex.testing.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens signed with each kind of key, and every way a token can be wrong. */
class TokenVerifierTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-secret";

    @TempDir
    Path dir;

    private static DuplexConfig.Auth auth(Optional<Secret> hmac, Optional<Path> pem, Optional<Path> jwks, Optional<String> iss,
            Optional<String> aud) {
        return new DuplexConfig.Auth(hmac, pem, jwks, iss, aud, Duration.ofSeconds(30), List.of(), false, List.of("public:"),
                Optional.empty());
    }

    private static TokenVerifier hmacVerifier() {
        return new TokenVerifier(auth(Optional.of(new Secret(SECRET)), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty()), Clock.systemUTC());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    @Test
    void anHmacTokenGivesTheUserAndTheClaims() {
        String token = Tokens.hmac(SECRET).make("alice", Duration.ofMinutes(5),
                Map.of("subscribe", List.of("news", "room.*"), "publish", "room.1", "admin", false));
        Identity identity = hmacVerifier().verify(token);
        assertEquals("alice", identity.user());
        assertEquals(List.of("news", "room.*"), identity.subscribe());
        assertEquals(List.of("room.1"), identity.publish(), "a single string is a list of one");
        assertFalse(identity.admin());
        assertTrue(identity.expiresAt().isAfter(Instant.now()));
    }

    @Test
    void anRsaTokenIsVerifiedWithAPemPublicKey() throws Exception {
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        Path pem = Files.writeString(dir.resolve("rsa.pem"), pem("PUBLIC KEY", rsa.getPublic().getEncoded()));
        TokenVerifier verifier = new TokenVerifier(auth(Optional.empty(), Optional.of(pem), Optional.empty(), Optional.empty(),
                Optional.empty()), Clock.systemUTC());
        assertEquals("bob", verifier.verify(Tokens.rsa(rsa, null).make("bob", Duration.ofMinutes(1))).user());

        KeyPair other = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        DuplexException e = assertThrows(DuplexException.class, () -> verifier.verify(Tokens.rsa(other, null).make("bob", Duration.ofMinutes(1))));
        assertEquals(ErrorCode.UNAUTHORIZED, e.code());
    }

    @Test
    void aTokenCannotPickHmacWithThePublicKeyAsItsSecret() throws Exception {
        // The classic algorithm confusion: HS256 "signed" with the bytes of the server's public key.
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String pemText = pem("PUBLIC KEY", rsa.getPublic().getEncoded());
        Path pem = Files.writeString(dir.resolve("rsa.pem"), pemText);
        TokenVerifier verifier = new TokenVerifier(auth(Optional.empty(), Optional.of(pem), Optional.empty(), Optional.empty(),
                Optional.empty()), Clock.systemUTC());
        SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("root")
                .expirationTime(Date.from(Instant.now().plusSeconds(60))).claim("admin", true).build());
        forged.sign(new MACSigner(pemText.getBytes()));
        assertThrows(DuplexException.class, () -> verifier.verify(forged.serialize()));
    }

    @Test
    void anEcTokenIsVerifiedWithTheKeyOfAJwksChosenByKid() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair first = generator.generateKeyPair();
        KeyPair second = generator.generateKeyPair();
        JWKSet set = new JWKSet(List.of(
                new ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256, (ECPublicKey) first.getPublic()).keyID("k1").build(),
                new ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256, (ECPublicKey) second.getPublic()).keyID("k2").build()));
        Path jwks = Files.writeString(dir.resolve("keys.json"), set.toString());
        TokenVerifier verifier = new TokenVerifier(auth(Optional.empty(), Optional.empty(), Optional.of(jwks), Optional.empty(),
                Optional.empty()), Clock.systemUTC());
        assertEquals("carol", verifier.verify(Tokens.ec(second, "k2").make("carol", Duration.ofMinutes(1))).user());
        assertEquals("carol", verifier.verify(Tokens.ec(first, "k1").make("carol", Duration.ofMinutes(1))).user());
        assertThrows(DuplexException.class, () -> verifier.verify(Tokens.ec(first, "k2").make("carol", Duration.ofMinutes(1))),
                "signed by k1 but claiming k2");
    }

    @Test
    void issuerAudienceAndNotBeforeAreEnforcedWhenAsked() {
        TokenVerifier verifier = new TokenVerifier(auth(Optional.of(new Secret(SECRET)), Optional.empty(), Optional.empty(),
                Optional.of("https://login.example"), Optional.of("duplex")), Clock.systemUTC());
        Tokens tokens = Tokens.hmac(SECRET);
        Date exp = Date.from(Instant.now().plusSeconds(60));
        String good = tokens.sign(new JWTClaimsSet.Builder().subject("u").expirationTime(exp).issuer("https://login.example")
                .audience(List.of("duplex", "other")).build());
        assertEquals("u", verifier.verify(good).user());
        String wrongIssuer = tokens.sign(new JWTClaimsSet.Builder().subject("u").expirationTime(exp).issuer("https://evil").audience("duplex").build());
        assertTrue(assertThrows(DuplexException.class, () -> verifier.verify(wrongIssuer)).getMessage().contains("iss"));
        String noAudience = tokens.sign(new JWTClaimsSet.Builder().subject("u").expirationTime(exp).issuer("https://login.example").build());
        assertTrue(assertThrows(DuplexException.class, () -> verifier.verify(noAudience)).getMessage().contains("aud"));
        String early = tokens.sign(new JWTClaimsSet.Builder().subject("u").expirationTime(exp).issuer("https://login.example")
                .audience("duplex").notBeforeTime(Date.from(Instant.now().plusSeconds(600))).build());
        assertTrue(assertThrows(DuplexException.class, () -> verifier.verify(early)).getMessage().contains("not valid before"));
    }

    @Test
    void expiryIsExactWithNoLeeway() {
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        TokenVerifier verifier = new TokenVerifier(auth(Optional.of(new Secret(SECRET)), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty()), Clock.fixed(now, ZoneOffset.UTC));
        Tokens tokens = Tokens.hmac(SECRET);
        String atNow = tokens.sign(new JWTClaimsSet.Builder().subject("u").expirationTime(Date.from(now)).build());
        assertThrows(DuplexException.class, () -> verifier.verify(atNow));
        String inOneSecond = tokens.sign(new JWTClaimsSet.Builder().subject("u").expirationTime(Date.from(now.plusSeconds(1))).build());
        assertEquals("u", verifier.verify(inOneSecond).user());
    }

    @Test
    void unusableKeyFilesFailTheStartWithAMessageNamingThem() throws Exception {
        Path missing = dir.resolve("absent.pem");
        ConfigException e = assertThrows(ConfigException.class, () -> new TokenVerifier(auth(Optional.empty(), Optional.of(missing),
                Optional.empty(), Optional.empty(), Optional.empty()), Clock.systemUTC()));
        assertTrue(e.getMessage().contains("token.public.key " + missing + " does not exist"), e.getMessage());

        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        Path privateKey = Files.writeString(dir.resolve("private.pem"), pem("PRIVATE KEY", rsa.getPrivate().getEncoded()));
        e = assertThrows(ConfigException.class, () -> new TokenVerifier(auth(Optional.empty(), Optional.of(privateKey),
                Optional.empty(), Optional.empty(), Optional.empty()), Clock.systemUTC()));
        assertTrue(e.getMessage().contains("never the private one"), e.getMessage());

        Path notJson = Files.writeString(dir.resolve("keys.json"), "{not json");
        e = assertThrows(ConfigException.class, () -> new TokenVerifier(auth(Optional.empty(), Optional.empty(),
                Optional.of(notJson), Optional.empty(), Optional.empty()), Clock.systemUTC()));
        assertTrue(e.getMessage().startsWith("token.jwks " + notJson + " is not a JWK set"), e.getMessage());
    }
}
