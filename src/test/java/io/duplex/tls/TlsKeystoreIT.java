package io.duplex.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.Https;
import io.duplex.testing.TestCertificate;
import io.duplex.testing.TestServer;
import io.duplex.testing.WarProcess;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tls.keystore in the forms operators have (PEM with a plain or an encrypted PKCS#8 key, PKCS12), each served
 * over a real handshake; and every mistake refused with one line that names the file and never the password.
 */
class TlsKeystoreIT {
    private static final String PASSWORD = "Sw0rdfish-for-this-test";

    @TempDir
    Path dir;

    @Test
    void aPemCertificateWithAnUnencryptedPkcs8KeyIsServed() {
        TestCertificate certificate = TestCertificate.ec();
        assertServed(certificate, "tls.keystore", certificate.writeCertificate(dir.resolve("server.crt")).toString(),
                "tls.key", certificate.writePkcs8Key(dir.resolve("server.key")).toString());
    }

    @Test
    void aPemCertificateWithAnEncryptedPkcs8KeyIsServed() {
        TestCertificate certificate = TestCertificate.rsa();
        assertServed(certificate, "tls.keystore", certificate.writeCertificate(dir.resolve("server.crt")).toString(),
                "tls.key", certificate.writeEncryptedPkcs8Key(dir.resolve("server.key"), PASSWORD).toString(),
                "tls.password", PASSWORD);
    }

    @Test
    void aPkcs12KeystoreIsServed() {
        TestCertificate certificate = TestCertificate.ec();
        assertServed(certificate, "tls.keystore", certificate.writePkcs12(dir.resolve("server.p12"), PASSWORD).toString(),
                "tls.password", PASSWORD);
    }

    @Test
    void aWrongPkcs12PasswordIsNamedWithoutThePassword() {
        Path keystore = TestCertificate.ec().writePkcs12(dir.resolve("server.p12"), PASSWORD);
        String message = startFails("tls.keystore", keystore.toString(), "tls.password", "not-" + PASSWORD);
        assertTrue(message.contains(keystore.toString()) && message.contains("wrong password"), message);
    }

    @Test
    void aMissingKeystoreIsNamed() {
        Path missing = dir.resolve("nowhere.p12");
        String message = startFails("tls.keystore", missing.toString(), "tls.password", PASSWORD);
        assertEquals("TLS keystore " + missing + " (tls.keystore) does not exist", message);
    }

    @Test
    void aMissingKeyFileIsNamed() {
        Path certificate = TestCertificate.ec().writeCertificate(dir.resolve("server.crt"));
        Path missing = dir.resolve("server.key");
        String message = startFails("tls.keystore", certificate.toString(), "tls.key", missing.toString());
        assertEquals("TLS key " + missing + " (tls.key) does not exist", message);
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateIsNamed() {
        Path certificate = TestCertificate.ec().writeCertificate(dir.resolve("server.crt"));
        Path otherKey = TestCertificate.ec().writePkcs8Key(dir.resolve("other.key"));
        String message = startFails("tls.keystore", certificate.toString(), "tls.key", otherKey.toString());
        assertEquals("TLS key " + otherKey + " (tls.key) does not match the certificate in TLS keystore " + certificate
                + " (tls.keystore)", message);
    }

    @Test
    void aFileThatIsNotACertificateIsNamed() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "this is not a certificate\n");
        String message = startFails("tls.keystore", notes.toString(), "tls.password", PASSWORD);
        assertEquals("TLS keystore " + notes + " (tls.keystore) is neither a PKCS12 keystore nor a PEM file with a certificate",
                message);
    }

    @Test
    void aWrongPasswordForAnEncryptedKeyIsNamedWithoutThePassword() {
        TestCertificate certificate = TestCertificate.ec();
        Path key = certificate.writeEncryptedPkcs8Key(dir.resolve("server.key"), PASSWORD);
        String message = startFails("tls.keystore", certificate.writeCertificate(dir.resolve("server.crt")).toString(),
                "tls.key", key.toString(), "tls.password", "not-" + PASSWORD);
        assertTrue(message.startsWith("TLS key " + key + " (tls.key)") && message.contains("could not be decrypted"), message);
    }

    @Test
    void theExecutableWarPrintsOneLineWithoutThePasswordAndExits1() throws Exception {
        Path keystore = TestCertificate.ec().writePkcs12(dir.resolve("server.p12"), PASSWORD);
        try (WarProcess war = WarProcess.start(dir.resolve("tmp"), "--port", "0", "--tls-keystore", keystore.toString(),
                "--tls-password", "not-" + PASSWORD)) {
            assertEquals(1, war.awaitExit());
            List<String> output = war.output();
            assertEquals(List.of("duplex: could not start: TLS keystore " + keystore + " (tls.keystore): wrong password (tls.password)"),
                    output);
        }
    }

    private static void assertServed(TestCertificate certificate, String... settings) {
        try (TestServer server = TestServer.start(settings)) {
            assertEquals(certificate.fingerprint(),
                    TestCertificate.fingerprint(Https.servedCertificate(certificate.trustingContext(), server.uri())));
            HttpResponse<String> health = Https.get(Https.client(certificate.trustingContext(), HttpClient.Version.HTTP_2),
                    server.api().resolve("health"));
            assertEquals(200, health.statusCode());
            assertEquals(HttpClient.Version.HTTP_2, health.version());
        }
    }

    /** Starts a node that must not start; returns the reason it gives, which must not show the password. */
    private static String startFails(String... settings) {
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> TestServer.start(settings).close());
        String message = failure.getCause().getMessage();
        assertFalse(message.contains(PASSWORD), "the password shows in: " + message);
        return message;
    }
}
