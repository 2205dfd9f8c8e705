package io.duplex.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.Https;
import io.duplex.testing.TestCertificate;
import io.duplex.testing.TestServer;
import io.duplex.testing.WarProcess;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dev.tls: a self-signed certificate made once, kept in data.dir across restarts, trusted by clients told to. */
class DevTlsIT {

    @TempDir
    Path dir;

    @Test
    void theCertificateIsMadeOnceKeptAcrossStartsAndTrustedThroughItsCrtFile() throws Exception {
        Path data = dir.resolve("data");
        Path crt = data.resolve("dev-tls.crt");
        String first;
        try (WarProcess war = WarProcess.start(dir.resolve("tmp"), "--port", "0", "--dev-tls", "--data-dir", data.toString())) {
            URI base = war.awaitListening();
            assertEquals("https", base.getScheme());
            SSLContext trust = TestCertificate.trustingPem(crt);
            first = TestCertificate.fingerprint(Https.servedCertificate(trust, base));

            HttpResponse<String> health = Https.get(Https.client(trust, HttpClient.Version.HTTP_2), base.resolve("api/health"));
            assertEquals(200, health.statusCode());
            assertEquals(HttpClient.Version.HTTP_2, health.version());

            String line = war.output().stream().filter(l -> l.contains("dev.tls")).findFirst().orElseThrow();
            assertTrue(line.contains(crt.toString()) && line.contains(first) && line.contains("must be told to trust"), line);
            war.terminate();
            war.awaitExit();
        }
        for (String file : List.of("dev-tls.p12", "dev-tls.password", "dev-tls.crt")) {
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(data.resolve(file)), file);
        }

        try (TestServer again = TestServer.start("dev.tls", "true", "data.dir", data.toString())) {
            assertEquals(first, TestCertificate.fingerprint(Https.servedCertificate(TestCertificate.trustingPem(crt), again.uri())));
        }
    }

    @Test
    void anExpiredCertificateIsReplacedByANewOne() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        TestCertificate expired = TestCertificate.issue("EC", List.of("localhost", "127.0.0.1"), Instant.now().minusSeconds(60));
        String password = "kept-password";
        Files.writeString(data.resolve("dev-tls.password"), password + "\n");
        try (OutputStream out = Files.newOutputStream(data.resolve("dev-tls.p12"))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("duplex-dev", expired.keys().getPrivate(), password.toCharArray(), new Certificate[] {expired.certificate()});
            store.store(out, password.toCharArray());
        }
        expired.writeCertificate(data.resolve("dev-tls.crt"));

        try (TestServer server = TestServer.start("dev.tls", "true", "data.dir", data.toString())) {
            X509Certificate served = (X509Certificate) Https.servedCertificate(
                    TestCertificate.trustingPem(data.resolve("dev-tls.crt")), server.uri());
            assertNotEquals(expired.fingerprint(), TestCertificate.fingerprint(served));
            assertTrue(served.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(300))), served::toString);
        }
    }
}
