package io.duplex.transport.ws;

import io.duplex.core.Connection;
import io.duplex.core.OutboundFrame;
import io.duplex.error.DisconnectReason;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;

/**
 * A {@link Connection} over one of Jetty's core WebSocket sessions ({@link NativeEndpoint}). Nothing here blocks: a
 * close is a close frame handed to Jetty, so no thread is borrowed for it.
 */
final class NativeConnection implements Connection {
    private static final Logger LOG = Logger.getLogger(NativeConnection.class.getName());

    private final CoreSession core;
    private final String remote;

    NativeConnection(CoreSession core, SocketAddress address) {
        this.core = core;
        this.remote = address instanceof InetSocketAddress inet ? inet.getHostString() + ":" + inet.getPort()
                : address == null ? "unknown" : address.toString();
    }

    /** The client's IP address (or host) without the port, as {@link HandshakeGuard} counts handshakes; null if unknown. */
    static String host(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getHostString() : null;
    }

    @Override
    public void send(List<OutboundFrame> frames, Consumer<Throwable> done) {
        JettyFrames.send(core, frames, done);
    }

    @Override
    public void ping() {
        JettyFrames.ping(core);
    }

    @Override
    public void close(DisconnectReason reason) {
        core.close(reason.code(), reason.reason(), Callback.from(() -> { },
                failure -> LOG.log(Level.FINE, "close failed: {0}", failure.toString())));
    }

    @Override
    public String remoteAddress() {
        return remote;
    }
}
