package io.duplex.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** HTTP over TLS with the JDK's own clients: {@link HttpClient} for HTTP/2 and HTTP/1.1, and bare TLS sockets. */
public final class Https {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Https() {
    }

    /** A client that trusts what {@code trust} trusts and prefers (or insists on) this HTTP version. */
    public static HttpClient client(SSLContext trust, HttpClient.Version version) {
        return HttpClient.newBuilder().sslContext(trust).version(version).connectTimeout(TIMEOUT).build();
    }

    public static HttpResponse<String> get(HttpClient client, URI uri) {
        return send(client, HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build());
    }

    public static HttpResponse<String> postJson(HttpClient client, URI uri, String json) {
        return send(client, HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The certificate the server at {@code uri} presents (its chain's first), with a client that trusts it. */
    public static Certificate servedCertificate(SSLContext trust, URI uri) {
        try (SSLSocket socket = open(trust, uri, null, List.of())) {
            socket.startHandshake();
            return socket.getSession().getPeerCertificates()[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A TLS socket to the server at {@code uri}: offering these ALPN protocols (none when empty) and sending this
     * SNI name (none when null). Like a curl or a proxy, it does not check the certificate's names itself.
     */
    public static SSLSocket open(SSLContext trust, URI uri, String sni, List<String> alpn) throws IOException {
        SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket(uri.getHost(), uri.getPort());
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        if (!alpn.isEmpty()) {
            parameters.setApplicationProtocols(alpn.toArray(String[]::new));
        }
        socket.setSSLParameters(parameters);
        return socket;
    }

    /** Sends a bare HTTP/1.1 GET with this Host header on a TLS socket; returns the status line. */
    public static String statusLine(SSLSocket socket, String path, String host) throws IOException {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\r') {
            line.append((char) c);
        }
        return line.toString();
    }
}
