package io.duplex.bridge.mqtt;

import io.duplex.bridge.BridgeException;
import io.duplex.config.DuplexConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Locale;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS to an mqtts:// broker: the JVM's trusted certificates, or those of mqtt.ssl.truststore (PEM, PKCS12 or JKS by the
 * file's extension). Paho checks the broker's host name against its certificate.
 */
final class MqttTls {
    private MqttTls() {
    }

    static SocketFactory socketFactory(DuplexConfig.Mqtt mqtt) {
        if (mqtt.truststore().isEmpty()) {
            try {
                return SSLContext.getDefault().getSocketFactory();
            } catch (GeneralSecurityException e) {
                throw new BridgeException("mqtt: the JVM has no TLS: " + e.getMessage());
            }
        }
        Path file = mqtt.truststore().get();
        try {
            KeyStore store = trustStore(file, mqtt.truststorePassword().map(p -> p.value().toCharArray()).orElse(new char[0]));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new BridgeException("mqtt: mqtt.ssl.truststore " + file + " cannot be read: " + e.getMessage());
        }
    }

    private static KeyStore trustStore(Path file, char[] password) throws IOException, GeneralSecurityException {
        byte[] content = Files.readAllBytes(file);
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".p12") || lower.endsWith(".pfx") || lower.endsWith(".jks")) {
            KeyStore store = KeyStore.getInstance(lower.endsWith(".jks") ? "JKS" : "PKCS12");
            store.load(new ByteArrayInputStream(content), password);
            return store;
        }
        Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(content));
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("it holds no PEM certificate");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int i = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        return store;
    }
}
