package io.duplex.server;

import io.duplex.config.DuplexConfig;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The embedded server's one connector, as the settings ask for it: HTTP/1.1 (with h2c when {@code h2c} is
 * on), or with TLS, https:// and wss:// only, HTTP/2 and HTTP/1.1 offered by ALPN. With {@code proxy.trusted},
 * the proxy's forwarded headers give each request its client address, scheme and host.
 */
final class Connectors {
    private static final Logger LOG = Logger.getLogger(Connectors.class.getName());

    private Connectors() {
    }

    static ServerConnector create(Server server, DuplexConfig config, Optional<TlsMaterial> tls) {
        HttpConfiguration http = new HttpConfiguration();
        if (config.tls().proxyTrusted()) {
            // Off by default: without a proxy that sets (and overwrites) them, any client could claim any
            // address and scheme.
            http.addCustomizer(forwardedHeaders());
            LOG.info("proxy.trusted: client addresses, schemes and hosts are taken from X-Forwarded-For/-Proto/-Host "
                    + "and Forwarded headers; only a proxy that sets them may reach this port");
        }
        if (tls.isPresent() && config.tls().h2c()) {
            LOG.info("h2c is ignored: with TLS on, HTTP/2 is negotiated inside TLS (ALPN)");
        }
        ServerConnector connector = tls.isPresent() ? secure(server, http, tls.get()) : plain(server, http, config.tls().h2c());
        connector.setHost(config.host());
        connector.setPort(config.port());
        return connector;
    }

    /**
     * The management port: plain HTTP/1.1, no forwarded headers (nothing on it is decided by the client's address or
     * scheme), for Prometheus and health checks on a private network.
     */
    static ServerConnector management(Server server, String host, int port) {
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(new HttpConfiguration()));
        connector.setName("management");
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    /**
     * X-Forwarded-For/-Proto/-Host and RFC 7239 Forwarded, the headers proxy.trusted documents, and no others.
     * Jetty would also read X-Forwarded-Port, X-Forwarded-Server, X-Proxied-Https, Proxy-ssl-id and
     * Proxy-auth-cert, which common proxies neither set nor remove: a client could send them through the proxy to
     * move the port of the links Duplex answers with, or to have a plain-HTTP request taken for a TLS one.
     */
    private static ForwardedRequestCustomizer forwardedHeaders() {
        ForwardedRequestCustomizer forwarded = new ForwardedRequestCustomizer();
        forwarded.setForwardedPortHeader(null);
        forwarded.setForwardedServerHeader(null);
        forwarded.setForwardedHttpsHeader(null);
        forwarded.setForwardedSslSessionIdHeader(null);
        forwarded.setForwardedCipherSuiteHeader(null);
        forwarded.setSslIsSecure(false);
        return forwarded;
    }

    private static ServerConnector plain(Server server, HttpConfiguration http, boolean h2c) {
        HttpConnectionFactory http1 = new HttpConnectionFactory(http);
        if (!h2c) {
            return new ServerConnector(server, http1);
        }
        // Beside HTTP/1.1, Jetty takes a connection to HTTP/2 on `Upgrade: h2c` and on the HTTP/2 preface
        // (prior knowledge).
        return new ServerConnector(server, http1, http2(new HTTP2CServerConnectionFactory(http)));
    }

    private static ServerConnector secure(Server server, HttpConfiguration http, TlsMaterial tls) {
        HttpConfiguration https = new HttpConfiguration(http);
        // Jetty's SNI host check answers 400 to a request whose Host is not a name of the certificate. The client
        // has already checked the certificate against the name it connected to (its hostname verification), so
        // the check protects nobody here, while it refuses clients that were told to trust the certificate and
        // reach it by another name: https://127.0.0.1 with a certificate for localhost, a port forward, a tunnel.
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);

        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls.keyStore());
        ssl.setKeyStorePassword(tls.password());
        // HTTP/2 forbids the weaker TLS 1.2 cipher suites (RFC 9113, appendix A): prefer those it allows.
        ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
        ssl.setUseCipherSuitesOrder(true);

        HttpConnectionFactory http1 = new HttpConnectionFactory(https);
        HTTP2ServerConnectionFactory http2 = http2(new HTTP2ServerConnectionFactory(https));
        // Without a list, ALPN offers the connector's protocols in their order: h2 first, then http/1.1. (Naming
        // them here would take Jetty's protocol names, and "HTTP/1.1" is not the ALPN id "http/1.1".)
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        // A client that offers no ALPN (older clients, most WebSocket clients) speaks HTTP/1.1.
        alpn.setDefaultProtocol(http1.getProtocol());
        return new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, http2, http1);
    }

    /**
     * HTTP/2 for requests, without WebSocket over HTTP/2 (RFC 8441, extended CONNECT): browsers then open their
     * WebSocket connections over HTTP/1.1, the transport whose slow-client and shutdown behaviour Duplex's
     * tests prove, instead of sharing an HTTP/2 connection's flow control with other requests.
     */
    private static <T extends AbstractHTTP2ServerConnectionFactory> T http2(T factory) {
        factory.setConnectProtocolEnabled(false);
        return factory;
    }
}
