package io.duplex.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A self-signed server certificate made for one test (with BouncyCastle, as an operator makes one with
 * OpenSSL), written in the encodings {@code tls.keystore} and {@code tls.key} accept, and an SSLContext that
 * trusts it, for real TLS handshakes.
 */
public final class TestCertificate {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private final KeyPair keys;
    private final X509Certificate certificate;

    private TestCertificate(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
    }

    /** An EC P-256 certificate for localhost and 127.0.0.1. */
    public static TestCertificate ec() {
        return issue("EC", List.of("localhost", "127.0.0.1"), Instant.now().plus(Duration.ofDays(30)));
    }

    /** An RSA 2048 certificate for localhost and 127.0.0.1. */
    public static TestCertificate rsa() {
        return issue("RSA", List.of("localhost", "127.0.0.1"), Instant.now().plus(Duration.ofDays(30)));
    }

    /** A certificate with a new EC P-256 or RSA 2048 key for exactly these names (IP addresses or DNS names), valid until {@code end}. */
    public static TestCertificate issue(String algorithm, List<String> names, Instant end) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=" + names.get(0) + ", O=Duplex test");
            List<GeneralName> alternatives = new ArrayList<>();
            for (String name : names) {
                boolean ip = Character.isDigit(name.charAt(0)) || name.contains(":");
                alternatives.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, name));
            }
            Instant start = end.isBefore(Instant.now()) ? end.minus(Duration.ofDays(30)) : Instant.now().minus(Duration.ofHours(1));
            var builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(new SecureRandom().nextInt(Integer.MAX_VALUE)),
                    Date.from(start), Date.from(end), subject, keys.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives.toArray(GeneralName[]::new)));
            String signature = algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(signature).build(keys.getPrivate())));
            return new TestCertificate(keys, certificate);
        } catch (Exception e) {
            throw new IllegalStateException("could not make a test certificate", e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public KeyPair keys() {
        return keys;
    }

    /** The certificate in PEM ({@code CERTIFICATE}); more certificates (a chain) may follow. */
    public Path writeCertificate(Path file, TestCertificate... chain) {
        List<Object> objects = new ArrayList<>(List.of(certificate));
        for (TestCertificate more : chain) {
            objects.add(more.certificate);
        }
        return write(file, objects.toArray());
    }

    /** The private key as unencrypted PKCS#8 ({@code PRIVATE KEY}). */
    public Path writePkcs8Key(Path file) {
        try {
            return write(file, new JcaPKCS8Generator(keys.getPrivate(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The private key as encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}, PBES2 with AES-256-CBC). */
    public Path writeEncryptedPkcs8Key(Path file, String password) {
        try {
            return write(file, new JcaPKCS8Generator(keys.getPrivate(), new JceOpenSSLPKCS8EncryptorBuilder(
                    PKCS8Generator.AES_256_CBC).setProvider(BC).setPassword(password.toCharArray()).build()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key in its traditional encoding: PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}). */
    public Path writeTraditionalKey(Path file) {
        if (!keys.getPrivate().getAlgorithm().equals("EC")) {
            return write(file, keys.getPrivate());
        }
        // As OpenSSL writes SEC1: with the curve and the public key inside (BouncyCastle's writer leaves both out).
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
            ECPrivateKey bare = ECPrivateKey.getInstance(info.parsePrivateKey());
            ECPrivateKey full = new ECPrivateKey(256, bare.getKey(),
                    SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getPublicKeyData(),
                    info.getPrivateKeyAlgorithm().getParameters());
            return write(file, new PemObject("EC PRIVATE KEY", full.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The private key in legacy encrypted PEM ({@code Proc-Type: 4,ENCRYPTED}, AES-128-CBC), as old OpenSSL wrote it. */
    public Path writeLegacyEncryptedKey(Path file, String password) {
        try (StringWriter text = new StringWriter(); JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(keys.getPrivate(), new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(BC).build(password.toCharArray()));
            writer.flush();
            Files.writeString(file, text.toString());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PKCS12 keystore with the key and certificate, protected by the password. */
    public Path writePkcs12(Path file, String password) {
        try (OutputStream out = Files.newOutputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", keys.getPrivate(), password.toCharArray(), new Certificate[] {certificate});
            store.store(out, password.toCharArray());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client SSLContext that trusts this certificate only. */
    public SSLContext trustingContext() {
        return trusting(certificate);
    }

    /** A client SSLContext that trusts the certificate in a PEM file (as a user does with curl --cacert). */
    public static SSLContext trustingPem(Path pem) {
        try {
            return trusting((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext trusting(X509Certificate certificate) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("trusted", certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code AB:CD:…}, as {@code openssl x509 -fingerprint -sha256} prints it. */
    public static String fingerprint(Certificate certificate) {
        try {
            return HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()))
                    .toUpperCase(Locale.ROOT);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String fingerprint() {
        return fingerprint(certificate);
    }

    private static Path write(Path file, Object... objects) {
        try (StringWriter text = new StringWriter(); JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
            writer.flush();
            Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
