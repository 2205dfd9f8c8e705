package io.duplex.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import io.duplex.config.ConfigException;
import io.duplex.config.DuplexConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys connection tokens are verified with, read once from the configuration: an HMAC secret, a PEM
 * public key (or certificate), a JWKS file, or several of them. Each key accepts only the algorithms of its
 * kind, so a token cannot choose a weaker check (an RSA public key is never used as an HMAC secret).
 */
final class VerificationKeys {
    private static final Set<JWSAlgorithm> HMAC = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
    private static final Set<JWSAlgorithm> RSA = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);
    private static final Set<JWSAlgorithm> EC = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

    private VerificationKeys() {
    }

    /** A key selector over every configured key; throws ConfigException naming the file that cannot be used. */
    static JWSKeySelector<SecurityContext> selector(DuplexConfig.Auth auth) {
        List<JWSKeySelector<SecurityContext>> selectors = new ArrayList<>();
        auth.hmacSecret().ifPresent(secret -> selectors.add(new JWSVerificationKeySelector<>(HMAC,
                new ImmutableSecret<>(secret.value().getBytes(StandardCharsets.UTF_8)))));
        List<JWK> keys = new ArrayList<>();
        auth.publicKey().ifPresent(path -> keys.add(pemKey(path)));
        auth.jwks().ifPresent(path -> keys.addAll(jwks(path)));
        if (!keys.isEmpty()) {
            Set<JWSAlgorithm> algorithms = new HashSet<>();
            for (JWK key : keys) {
                algorithms.addAll(KeyType.RSA.equals(key.getKeyType()) ? RSA : EC);
            }
            JWKSource<SecurityContext> source = new ImmutableJWKSet<>(new JWKSet(keys));
            selectors.add(new JWSVerificationKeySelector<>(algorithms, source));
        }
        return (header, context) -> {
            List<java.security.Key> candidates = new ArrayList<>();
            for (JWSKeySelector<SecurityContext> selector : selectors) {
                candidates.addAll(selector.selectJWSKeys(header, context));
            }
            return candidates;
        };
    }

    private static JWK pemKey(Path path) {
        String text = read(path, "token.public.key");
        Matcher m = PEM.matcher(text);
        if (!m.find()) {
            throw new ConfigException("token.public.key " + path + " is not a PEM file (no -----BEGIN PUBLIC KEY----- or -----BEGIN CERTIFICATE----- block)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(2).trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("token.public.key " + path + ": the PEM block is not valid base64");
        }
        PublicKey key;
        try {
            key = switch (m.group(1)) {
                case "PUBLIC KEY" -> publicKey(der);
                case "CERTIFICATE" -> CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
                case "RSA PUBLIC KEY" -> throw new ConfigException("token.public.key " + path + " is a PKCS#1 RSA key; convert it to "
                        + "a PUBLIC KEY block with: openssl rsa -RSAPublicKey_in -in KEY -pubout");
                default -> throw new ConfigException("token.public.key " + path + " holds a " + m.group(1)
                        + ", not a PUBLIC KEY or CERTIFICATE" + (m.group(1).contains("PRIVATE") ? " (give the public key, never the private one)" : ""));
            };
        } catch (GeneralSecurityException e) {
            throw new ConfigException("token.public.key " + path + " cannot be read as an RSA or EC public key");
        }
        if (key instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).build();
        }
        if (key instanceof ECPublicKey ec) {
            return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
        }
        throw new ConfigException("token.public.key " + path + " is a " + key.getAlgorithm() + " key; RSA or EC is needed");
    }

    private static PublicKey publicKey(byte[] der) throws GeneralSecurityException {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        try {
            return KeyFactory.getInstance("RSA").generatePublic(spec);
        } catch (GeneralSecurityException e) {
            return KeyFactory.getInstance("EC").generatePublic(spec);
        }
    }

    private static List<JWK> jwks(Path path) {
        String text = read(path, "token.jwks");
        JWKSet set;
        try {
            set = JWKSet.parse(text).toPublicJWKSet();
        } catch (ParseException e) {
            throw new ConfigException("token.jwks " + path + " is not a JWK set: " + e.getMessage());
        }
        List<JWK> keys = set.getKeys().stream()
                .filter(k -> KeyType.RSA.equals(k.getKeyType()) || KeyType.EC.equals(k.getKeyType())).toList();
        if (keys.isEmpty()) {
            throw new ConfigException("token.jwks " + path + " has no RSA or EC public key");
        }
        return keys;
    }

    private static String read(Path path, String setting) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(setting + " " + path + " does not exist");
        } catch (IOException e) {
            throw new ConfigException(setting + " " + path + " cannot be read: " + e.getMessage());
        }
    }
}
