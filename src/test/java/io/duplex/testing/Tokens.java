package io.duplex.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** Makes connection tokens the way an application's login service would: signed JWTs with Duplex's claims. */
public final class Tokens {
    private final JWSSigner signer;
    private final JWSAlgorithm algorithm;
    private final String keyId;

    private Tokens(JWSSigner signer, JWSAlgorithm algorithm, String keyId) {
        this.signer = signer;
        this.algorithm = algorithm;
        this.keyId = keyId;
    }

    public static Tokens hmac(String secret) {
        try {
            return new Tokens(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)), JWSAlgorithm.HS256, null);
        } catch (JOSEException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static Tokens rsa(KeyPair keys, String keyId) {
        return new Tokens(new RSASSASigner(keys.getPrivate()), JWSAlgorithm.RS256, keyId);
    }

    public static Tokens ec(KeyPair keys, String keyId) {
        try {
            return new Tokens(new ECDSASigner((ECPrivateKey) keys.getPrivate()), JWSAlgorithm.ES256, keyId);
        } catch (JOSEException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A token for the user, valid for the duration, with extra claims (subscribe, publish, admin…). */
    public String make(String user, Duration valid, Map<String, Object> claims) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().expirationTime(Date.from(Instant.now().plus(valid)));
        if (user != null) {
            builder.subject(user);
        }
        claims.forEach(builder::claim);
        return sign(builder.build());
    }

    public String make(String user, Duration valid) {
        return make(user, valid, Map.of());
    }

    /** A token for a user allowed to subscribe and publish to the given patterns. */
    public String user(String user, List<String> subscribe, List<String> publish) {
        return make(user, Duration.ofMinutes(10), Map.of("subscribe", subscribe, "publish", publish));
    }

    public String sign(JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
