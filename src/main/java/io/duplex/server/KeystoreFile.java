package io.duplex.server;

import io.duplex.config.DuplexConfig;
import io.duplex.config.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The operator's certificate, {@code tls.keystore}: a PKCS12 keystore (.p12/.pfx) with {@code tls.password}, or
 * a PEM certificate chain with its PEM private key in {@code tls.key} (or in the same file). Every problem is
 * one {@link TlsException} that names the file and what is wrong.
 */
final class KeystoreFile {
    private static final Logger LOG = Logger.getLogger(KeystoreFile.class.getName());

    private KeystoreFile() {
    }

    /** Reads the keystore (and key); logs one line naming the certificate, a warning if it is out of date. */
    static TlsMaterial load(DuplexConfig.Tls tls) throws TlsException {
        Path keystore = tls.keystore().orElseThrow();
        String label = "TLS keystore " + keystore + " (tls.keystore)";
        byte[] content = read(keystore, label);
        TlsMaterial material;
        if (PemFiles.looksLikePem(content)) {
            material = pem(content, label, tls.key(), tls.password());
        } else if (tls.key().isPresent()) {
            throw new TlsException("tls.key is only for a PEM certificate, but " + label
                    + " is not PEM (a PKCS12 keystore holds its own key)");
        } else {
            material = pkcs12(content, keystore, label, tls.password());
        }
        log(material, keystore);
        return material;
    }

    /** An expired certificate is served anyway (refusing to start would not renew it) but said loudly. */
    private static void log(TlsMaterial material, Path keystore) {
        X509Certificate certificate = material.certificate();
        Instant now = Instant.now();
        Instant end = certificate.getNotAfter().toInstant();
        Instant start = certificate.getNotBefore().toInstant();
        String validity = "valid " + LocalDate.ofInstant(start, ZoneOffset.UTC) + " to " + LocalDate.ofInstant(end, ZoneOffset.UTC);
        if (now.isAfter(end) || now.isBefore(start)) {
            LOG.warning(() -> "TLS: the certificate for " + material.names() + " in " + keystore + " is out of date (" + validity
                    + "): clients will refuse it");
        } else {
            LOG.info(() -> "TLS: serving the certificate for " + material.names() + " (" + validity + ") from " + keystore);
        }
    }

    private static TlsMaterial pkcs12(byte[] content, Path file, String label, Optional<Secret> password) throws TlsException {
        // Without tls.password, try the empty password some tools write; a real one is then reported as missing.
        char[] secret = password.map(p -> p.value().toCharArray()).orElse(new char[0]);
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(content), secret);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new TlsException(password.isPresent() ? label + ": wrong password (tls.password)"
                        : label + " is protected by a password: set tls.password");
            }
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            throw new TlsException(name.endsWith(".p12") || name.endsWith(".pfx")
                    ? label + " is not a valid PKCS12 keystore: " + e.getMessage()
                    : label + " is neither a PKCS12 keystore nor a PEM file with a certificate");
        } catch (GeneralSecurityException e) {
            throw new TlsException(label + " could not be read as a PKCS12 keystore: " + e.getMessage());
        }

        List<String> keyAliases = new ArrayList<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keyAliases.add(alias);
                }
            }
            if (keyAliases.isEmpty()) {
                throw new TlsException(label + " holds no private key, only certificates: a server needs its key too");
            }
            if (keyAliases.size() > 1) {
                throw new TlsException(label + " holds " + keyAliases.size() + " private keys (" + String.join(", ", keyAliases)
                        + "): keep only the server's");
            }
            String alias = keyAliases.get(0);
            Key key;
            try {
                key = store.getKey(alias, secret);
            } catch (UnrecoverableKeyException e) {
                throw new TlsException(label + ": the key '" + alias + "' has a password other than the keystore's; "
                        + "Duplex needs both to be tls.password");
            }
            if (!(key instanceof PrivateKey privateKey)) {
                throw new TlsException(label + ": the entry '" + alias + "' is a secret key, not a private key");
            }
            Certificate[] chain = store.getCertificateChain(alias);
            if (chain == null || chain.length == 0) {
                throw new TlsException(label + ": the key '" + alias + "' has no certificate");
            }
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : chain) {
                certificates.add((X509Certificate) certificate);
            }
            if (!TlsMaterial.matches(privateKey, certificates.get(0))) {
                throw new TlsException(label + ": the key '" + alias + "' does not match its certificate");
            }
            return TlsMaterial.of(privateKey, certificates);
        } catch (GeneralSecurityException e) {
            throw new TlsException(label + " could not be read as a PKCS12 keystore: " + e.getMessage());
        }
    }

    private static TlsMaterial pem(byte[] content, String label, Optional<Path> keyFile, Optional<Secret> password)
            throws TlsException {
        PemFiles.Contents certificates = PemFiles.read(content, label);
        if (certificates.certificates().isEmpty()) {
            throw new TlsException(label + (certificates.keys().isEmpty() ? " holds no PEM certificate"
                    : " holds a private key but no certificate: tls.keystore names the certificate (chain), tls.key the key"));
        }

        String keyLabel;
        List<Object> keys;
        if (keyFile.isPresent()) {
            keyLabel = "TLS key " + keyFile.get() + " (tls.key)";
            keys = PemFiles.read(read(keyFile.get(), keyLabel), keyLabel).keys();
        } else {
            keyLabel = label;
            keys = certificates.keys();
        }
        if (keys.isEmpty()) {
            throw new TlsException(keyFile.isPresent()
                    ? keyLabel + " holds no PEM private key"
                    : label + " holds no private key: name the PEM key file with tls.key");
        }
        if (keys.size() > 1) {
            throw new TlsException(keyLabel + " holds " + keys.size() + " private keys: keep only the server's");
        }
        PrivateKey key = PemFiles.privateKey(keys.get(0), password, keyLabel);

        // The server's certificate goes first; tools do not always write the chain in that order.
        List<X509Certificate> chain = new ArrayList<>(certificates.certificates());
        X509Certificate own = chain.stream().filter(c -> TlsMaterial.matches(key, c)).findFirst()
                .orElseThrow(() -> new TlsException(keyFile.isPresent()
                        ? keyLabel + " does not match the certificate in " + label
                        : label + ": its private key does not match its certificate"));
        chain.remove(own);
        chain.add(0, own);
        return TlsMaterial.of(key, chain);
    }

    private static byte[] read(Path file, String label) throws TlsException {
        try {
            if (Files.isDirectory(file)) {
                throw new TlsException(label + " is a directory, not a file");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsException(label + " does not exist");
        } catch (AccessDeniedException e) {
            throw new TlsException(label + " cannot be read: permission denied");
        } catch (IOException e) {
            throw new TlsException(label + " cannot be read: " + e.getMessage());
        }
    }
}
