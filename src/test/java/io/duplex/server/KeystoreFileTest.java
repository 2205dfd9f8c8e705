package io.duplex.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.config.DuplexConfig;
import io.duplex.config.Secret;
import io.duplex.testing.TestCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every PEM key encoding and keystore form tls.keystore accepts, and the sentence each mistake gets. */
class KeystoreFileTest {
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dir;

    @Test
    void readsPkcs1RsaAndSec1EcKeys() throws Exception {
        for (TestCertificate certificate : new TestCertificate[] {TestCertificate.rsa(), TestCertificate.ec()}) {
            Path crt = certificate.writeCertificate(dir.resolve("server.crt"));
            Path key = certificate.writeTraditionalKey(dir.resolve("server.key"));
            assertTrue(Files.readString(key).contains(certificate.keys().getPrivate().getAlgorithm().equals("RSA")
                    ? "BEGIN RSA PRIVATE KEY" : "BEGIN EC PRIVATE KEY"));
            assertLoads(certificate, tls(crt, key, null));
        }
    }

    @Test
    void readsLegacyEncryptedPemWithThePassword() throws Exception {
        TestCertificate certificate = TestCertificate.rsa();
        Path key = certificate.writeLegacyEncryptedKey(dir.resolve("server.key"), PASSWORD);
        assertTrue(Files.readString(key).contains("Proc-Type: 4,ENCRYPTED"));
        assertLoads(certificate, tls(certificate.writeCertificate(dir.resolve("server.crt")), key, PASSWORD));
    }

    @Test
    void readsTheKeyFromTheCertificateFileWhenThereIsNoTlsKey() throws Exception {
        TestCertificate certificate = TestCertificate.ec();
        Path both = dir.resolve("both.pem");
        Files.writeString(both, Files.readString(certificate.writePkcs8Key(dir.resolve("k")))
                + Files.readString(certificate.writeCertificate(dir.resolve("c"))));
        assertLoads(certificate, tls(both, null, null));
    }

    @Test
    void putsTheKeysCertificateFirstWhateverTheChainOrder() throws Exception {
        TestCertificate issuer = TestCertificate.ec();
        TestCertificate server = TestCertificate.ec();
        Path chain = issuer.writeCertificate(dir.resolve("chain.crt"), server);
        TlsMaterial material = KeystoreFile.load(tls(chain, server.writePkcs8Key(dir.resolve("server.key")), null));
        assertEquals(server.certificate(), material.certificate());
        assertEquals(2, material.keyStore().getCertificateChain("duplex").length);
    }

    @Test
    void anEncryptedKeyWithoutPasswordAsksForIt() {
        TestCertificate certificate = TestCertificate.ec();
        Path key = certificate.writeEncryptedPkcs8Key(dir.resolve("server.key"), PASSWORD);
        assertEquals("TLS key " + key + " (tls.key) holds an encrypted private key: set tls.password to its password",
                failure(tls(certificate.writeCertificate(dir.resolve("server.crt")), key, null)));
    }

    @Test
    void aWrongPasswordForALegacyEncryptedKeyIsNamed() {
        TestCertificate certificate = TestCertificate.ec();
        Path key = certificate.writeLegacyEncryptedKey(dir.resolve("server.key"), PASSWORD);
        String message = failure(tls(certificate.writeCertificate(dir.resolve("server.crt")), key, "wrong " + PASSWORD));
        assertTrue(message.contains("could not be decrypted with tls.password") && !message.contains(PASSWORD), message);
    }

    @Test
    void aKeyGivenAsTheKeystoreIsNamedAsSuch() {
        Path key = TestCertificate.ec().writePkcs8Key(dir.resolve("server.key"));
        assertEquals("TLS keystore " + key + " (tls.keystore) holds a private key but no certificate: tls.keystore names the "
                + "certificate (chain), tls.key the key", failure(tls(key, null, null)));
    }

    @Test
    void aPemCertificateWithoutKeyAsksForTlsKey() {
        Path crt = TestCertificate.ec().writeCertificate(dir.resolve("server.crt"));
        assertEquals("TLS keystore " + crt + " (tls.keystore) holds no private key: name the PEM key file with tls.key",
                failure(tls(crt, null, null)));
    }

    @Test
    void aPkcs12KeystoreWithoutPasswordAsksForIt() {
        Path p12 = TestCertificate.ec().writePkcs12(dir.resolve("server.p12"), PASSWORD);
        assertEquals("TLS keystore " + p12 + " (tls.keystore) is protected by a password: set tls.password", failure(tls(p12, null, null)));
    }

    @Test
    void tlsKeyBesideAPkcs12KeystoreIsRefused() {
        TestCertificate certificate = TestCertificate.ec();
        Path p12 = certificate.writePkcs12(dir.resolve("server.p12"), PASSWORD);
        String message = failure(tls(p12, certificate.writePkcs8Key(dir.resolve("server.key")), PASSWORD));
        assertTrue(message.startsWith("tls.key is only for a PEM certificate"), message);
    }

    @Test
    void anExpiredCertificateIsStillLoaded() throws Exception {
        TestCertificate expired = TestCertificate.issue("EC", java.util.List.of("localhost"), java.time.Instant.now().minusSeconds(60));
        assertLoads(expired, tls(expired.writeCertificate(dir.resolve("old.crt")), expired.writePkcs8Key(dir.resolve("old.key")), null));
    }

    private static void assertLoads(TestCertificate certificate, DuplexConfig.Tls tls) throws TlsException {
        TlsMaterial material = KeystoreFile.load(tls);
        assertEquals(certificate.certificate(), material.certificate());
        assertTrue(TlsMaterial.matches(certificate.keys().getPrivate(), material.certificate()));
    }

    private static String failure(DuplexConfig.Tls tls) {
        return assertThrows(TlsException.class, () -> KeystoreFile.load(tls)).getMessage();
    }

    private static DuplexConfig.Tls tls(Path keystore, Path key, String password) {
        return new DuplexConfig.Tls(Optional.of(keystore), Optional.ofNullable(key), Optional.ofNullable(password).map(Secret::new),
                false, false, false);
    }
}
