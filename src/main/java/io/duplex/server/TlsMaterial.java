package io.duplex.server;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A server certificate chain and its private key, held in an in-memory key store for Jetty's
 * {@code SslContextFactory}. The store has a random password of its own, so the operator's tls.password is
 * used once to read the files and never reaches Jetty (whose dumps and objects could show it).
 */
final class TlsMaterial {
    private static final String ALIAS = "duplex";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyStore keyStore;
    private final String password;
    private final X509Certificate certificate;

    private TlsMaterial(KeyStore keyStore, String password, X509Certificate certificate) {
        this.keyStore = keyStore;
        this.password = password;
        this.certificate = certificate;
    }

    /** The key and its chain (the certificate of the key first); the caller has checked that they match. */
    static TlsMaterial of(PrivateKey key, List<X509Certificate> chain) {
        String password = randomPassword();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, password.toCharArray(), chain.toArray(X509Certificate[]::new));
            return new TlsMaterial(store, password, chain.get(0));
        } catch (GeneralSecurityException | IOException e) {
            // An in-memory PKCS12 store accepts every key the JDK can read: this is a broken JDK, not bad input.
            throw new IllegalStateException("could not hold the TLS key in memory: " + e.getMessage(), e);
        }
    }

    KeyStore keyStore() {
        return keyStore;
    }

    /** The in-memory store's own random password (not tls.password). */
    String password() {
        return password;
    }

    /** The server's own certificate, the first of the chain. */
    X509Certificate certificate() {
        return certificate;
    }

    /** The names the certificate is for (its subject alternative names, or else its subject), for log lines. */
    String names() {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null && !names.isEmpty()) {
                return names.stream().map(name -> String.valueOf(name.get(1))).collect(Collectors.joining(", "));
            }
        } catch (CertificateParsingException e) {
            // fall back to the subject
        }
        return certificate.getSubjectX500Principal().getName();
    }

    /** 43 characters of URL-safe Base64 over 32 random bytes. */
    static String randomPassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Whether the private key belongs to the certificate's public key. RSA keys share their modulus; other keys
     * are tried by signing a random challenge and verifying it with the certificate's key.
     */
    static boolean matches(PrivateKey key, X509Certificate certificate) {
        PublicKey publicKey = certificate.getPublicKey();
        if (key instanceof RSAKey rsa) {
            return publicKey instanceof RSAKey rsaPublic && rsa.getModulus().equals(rsaPublic.getModulus());
        }
        String algorithm = signatureAlgorithm(key);
        if (algorithm == null || !key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            RANDOM.nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
    }

    /** {@code AB:CD:…}, as {@code openssl x509 -fingerprint -sha256} prints it. */
    static String sha256Fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").formatHex(digest).toUpperCase(Locale.ROOT);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 of a certificate: " + e.getMessage(), e);
        }
    }
}
