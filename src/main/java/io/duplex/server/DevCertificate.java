package io.duplex.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.logging.Logger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The self-signed certificate of {@code dev.tls}: made on the first start (EC P-256, SHA256withECDSA, for
 * localhost, 127.0.0.1 and ::1, valid for a year) and kept in {@code data.dir}, so that a client told once to
 * trust it keeps trusting it across restarts; made anew when it has expired. Three files, owner-only:
 * {@code dev-tls.p12} (key and certificate), {@code dev-tls.password} (the keystore's random password) and
 * {@code dev-tls.crt} (the certificate in PEM, for clients: {@code curl --cacert ~/.duplex/dev-tls.crt}).
 */
final class DevCertificate {
    static final String KEYSTORE = "dev-tls.p12";
    static final String PASSWORD = "dev-tls.password";
    static final String CERTIFICATE = "dev-tls.crt";

    private static final Logger LOG = Logger.getLogger(DevCertificate.class.getName());
    private static final String ALIAS = "duplex-dev";
    private static final String SUBJECT = "CN=localhost, O=Duplex development certificate";
    private static final Duration VALIDITY = Duration.ofDays(365);
    /** A certificate this close to its end is renewed at start, so that it does not expire under a running node. */
    private static final Duration RENEW_BEFORE = Duration.ofDays(1);

    private DevCertificate() {
    }

    /** The certificate kept in {@code dataDir}, or a new one; logs one line naming it and its fingerprint. */
    static TlsMaterial obtain(Path dataDir) throws TlsException {
        Path dir = dataDir.toAbsolutePath().normalize();
        Path keystore = dir.resolve(KEYSTORE);
        Path certificateFile = dir.resolve(CERTIFICATE);
        String origin;
        TlsMaterial material = null;
        try {
            createDirectory(dir);
            if (Files.exists(keystore)) {
                try {
                    TlsMaterial kept = read(keystore, dir.resolve(PASSWORD));
                    Instant end = kept.certificate().getNotAfter().toInstant();
                    if (end.isAfter(Instant.now().plus(RENEW_BEFORE))) {
                        material = kept;
                        origin = "kept from an earlier start";
                    } else {
                        origin = "new: the previous one " + (end.isAfter(Instant.now()) ? "expires" : "expired") + " on " + date(end);
                    }
                } catch (IOException | GeneralSecurityException | RuntimeException e) {
                    origin = "new: the previous " + keystore + " could not be read (" + e.getMessage() + ")";
                }
            } else {
                origin = "new";
            }
            if (material == null) {
                material = make(dir);
            }
            writeIfChanged(certificateFile, pem(material.certificate()));
        } catch (IOException e) {
            throw new TlsException("dev.tls: cannot keep the development certificate in " + dir + " (data.dir): "
                    + describe(e) + "; choose another directory with data.dir");
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("dev.tls: this JVM cannot make an EC P-256 certificate: " + e.getMessage(), e);
        }
        X509Certificate certificate = material.certificate();
        String made = origin;
        LOG.info(() -> "dev.tls: serving a self-signed certificate for localhost, 127.0.0.1 and ::1 (" + made + "; valid until "
                + date(certificate.getNotAfter().toInstant()) + "), SHA-256 fingerprint " + TlsMaterial.sha256Fingerprint(certificate)
                + ". Clients must be told to trust " + certificateFile + ", e.g. curl --cacert " + certificateFile);
        return material;
    }

    private static TlsMaterial read(Path keystore, Path passwordFile) throws IOException, GeneralSecurityException {
        char[] password = Files.readString(passwordFile, StandardCharsets.US_ASCII).trim().toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new ByteArrayInputStream(Files.readAllBytes(keystore)), password);
        Key key = store.getKey(ALIAS, password);
        if (!(key instanceof PrivateKey privateKey) || !(store.getCertificate(ALIAS) instanceof X509Certificate certificate)) {
            throw new GeneralSecurityException("it has no entry " + ALIAS);
        }
        return TlsMaterial.of(privateKey, List.of(certificate));
    }

    private static TlsMaterial make(Path dir) throws IOException, GeneralSecurityException, OperatorCreationException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair pair = generator.generateKeyPair();
        X509Certificate certificate = selfSigned(pair);

        String password = TlsMaterial.randomPassword();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, pair.getPrivate(), password.toCharArray(), new X509Certificate[] {certificate});
        ByteArrayOutputStream p12 = new ByteArrayOutputStream();
        store.store(p12, password.toCharArray());

        // The password first: a start interrupted between the two writes finds a keystore it cannot open and
        // makes a new one, instead of keeping a password that opens nothing.
        writeOwnerOnly(dir.resolve(PASSWORD), (password + "\n").getBytes(StandardCharsets.US_ASCII));
        writeOwnerOnly(dir.resolve(KEYSTORE), p12.toByteArray());
        return TlsMaterial.of(pair.getPrivate(), List.of(certificate));
    }

    /**
     * Self-signed, without KeyUsage and with {@code CA:FALSE}: OpenSSL (curl, Node) accepts a self-signed
     * certificate given as a trust anchor only when no KeyUsage forbids it to sign itself, and Firefox refuses a
     * CA certificate used as a server's.
     */
    private static X509Certificate selfSigned(KeyPair pair)
            throws CertIOException, GeneralSecurityException, OperatorCreationException {
        Instant now = Instant.now();
        X500Name subject = new X500Name(SUBJECT);
        BigInteger serial = new BigInteger(64, new SecureRandom()).add(BigInteger.ONE);
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                // An hour back, so that a client whose clock is a little behind accepts it at once.
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, pair.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.iPAddress, "::1")}))
                .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()))
                .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(pair.getPublic()));
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        } catch (CertificateException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    private static byte[] pem(X509Certificate certificate) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(certificate);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void writeIfChanged(Path file, byte[] content) throws IOException {
        try {
            if (Arrays.equals(Files.readAllBytes(file), content)) {
                return;
            }
        } catch (NoSuchFileException e) {
            // not written yet
        }
        writeOwnerOnly(file, content);
    }

    /** Writes a whole file at once (a temporary file moved into place), readable by its owner only where POSIX allows. */
    private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        Path dir = file.getParent();
        Path temporary = posix(dir)
                ? Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.write(temporary, content);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        FileAttribute<?>[] ownerOnly = posix(parent == null ? dir : parent)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
        try {
            Files.createDirectory(dir, ownerOnly);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException denied) {
            return "permission denied on " + denied.getFile();
        }
        if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
            return ((FileSystemException) e).getFile() + " is not a directory";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason() + " (" + fs.getFile() + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static LocalDate date(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
