package io.duplex.server;

import io.duplex.config.Secret;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Certificates and private keys in PEM, in every encoding OpenSSL and other tools write: certificate chains,
 * PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY}), encrypted
 * PKCS#8 ({@code ENCRYPTED PRIVATE KEY}) and legacy encrypted PEM ({@code Proc-Type: 4,ENCRYPTED}). The JDK
 * reads none of the key encodings but unencrypted PKCS#8, hence BouncyCastle.
 */
final class PemFiles {
    private static final String BEGIN = "-----BEGIN ";

    private PemFiles() {
    }

    /** What one PEM file holds: its certificates in order, and its private keys still encoded (maybe encrypted). */
    record Contents(List<X509Certificate> certificates, List<Object> keys) {
    }

    /** Whether the bytes are PEM text: a {@code -----BEGIN } line, perhaps after explanatory text. */
    static boolean looksLikePem(byte[] content) {
        return new String(content, StandardCharsets.ISO_8859_1).contains(BEGIN);
    }

    /** Reads every certificate and private key of a PEM file; {@code label} names the file in errors. */
    static Contents read(byte[] content, String label) throws TlsException {
        List<X509Certificate> certificates = new ArrayList<>();
        List<Object> keys = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(new String(content, StandardCharsets.US_ASCII)))) {
            Object item;
            while ((item = parser.readObject()) != null) {
                if (item instanceof X509TrustedCertificateBlock trusted) {
                    item = trusted.getCertificateHolder();
                }
                if (item instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                } else if (item instanceof PEMKeyPair || item instanceof PrivateKeyInfo || item instanceof PEMEncryptedKeyPair
                        || item instanceof PKCS8EncryptedPrivateKeyInfo) {
                    keys.add(item);
                }
                // Anything else (EC PARAMETERS before a SEC1 key, public keys, requests) is not ours to use.
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new TlsException(label + " is not valid PEM: " + message(e));
        }
        return new Contents(certificates, keys);
    }

    /** The private key of a PEM block read by {@link #read}, decrypted with the password when it is encrypted. */
    static PrivateKey privateKey(Object encoded, Optional<Secret> password, String label) throws TlsException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            if (encoded instanceof PEMKeyPair pair) {
                // The private part only: a SEC1 key may come without its public key.
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (encoded instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
        } catch (IOException | RuntimeException e) {
            throw new TlsException(label + " holds a private key Java cannot use: " + message(e));
        }
        if (password.isEmpty()) {
            throw new TlsException(label + " holds an encrypted private key: set tls.password to its password");
        }
        char[] secret = password.get().value().toCharArray();
        try {
            if (encoded instanceof PEMEncryptedKeyPair legacy) {
                return converter.getPrivateKey(legacy.decryptKeyPair(
                        new JcePEMDecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(secret)).getPrivateKeyInfo());
            }
            PKCS8EncryptedPrivateKeyInfo pkcs8 = (PKCS8EncryptedPrivateKeyInfo) encoded;
            return converter.getPrivateKey(pkcs8.decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(secret)));
        } catch (Exception e) {
            // A wrong password shows as bad padding, or now and then as garbage that is not a key: both mean the same.
            throw new TlsException(label + ": its encrypted private key could not be decrypted with tls.password "
                    + "(is the password right?)");
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    /** BouncyCastle's messages are exact but lower-level; the innermost one names the actual fault. */
    private static String message(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** BouncyCastle as a provider object, not registered with the JVM, and made only when a key is encrypted. */
    private static final class Bc {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }
}
