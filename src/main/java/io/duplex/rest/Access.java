package io.duplex.rest;

import io.duplex.channel.ChannelName;
import io.duplex.channel.Door;
import io.duplex.channel.Publisher;
import io.duplex.config.DuplexConfig;
import io.duplex.config.Mode;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import io.duplex.security.ChannelAccess;
import io.duplex.security.Identity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.SecurityContext;

/**
 * What each REST endpoint asks of its caller (established by {@link Authentication}): 401 when it showed
 * no credentials and needs some, 403 when its credentials do not allow the action. In production mode
 * every guarded endpoint also refuses plain HTTP.
 */
@ApplicationScoped
public class Access {
    private final ChannelAccess channels;
    private final boolean readOpen;
    private final boolean production;

    protected Access() {
        // for CDI's client proxy
        this.channels = null;
        this.readOpen = false;
        this.production = false;
    }

    @Inject
    public Access(ChannelAccess channels, DuplexConfig config) {
        this.channels = channels;
        this.readOpen = config.auth().readOpen();
        this.production = config.mode() == Mode.PRODUCTION;
    }

    /** Sessions, and everything that sees or acts on every channel: API keys and admin tokens only. */
    public Identity admin(SecurityContext security) {
        Identity caller = caller(security);
        if (!caller.admin()) {
            throw new DuplexException(ErrorCode.PERMISSION_DENIED, "this endpoint needs an API key or an admin token");
        }
        return caller;
    }

    /** The list of all channels: admins, or anyone when {@code api.read.open}. */
    public void listChannels(SecurityContext security) {
        if (!(readOpen && secure(security))) {
            admin(security);
        }
    }

    /** A channel's state, history and presence: whoever may subscribe to it, or anyone when {@code api.read.open}. */
    public void read(SecurityContext security, ChannelName channel) {
        if (readOpen && secure(security)) {
            return;
        }
        channels.checkRead(caller(security), channel);
    }

    public void publish(SecurityContext security, ChannelName channel) {
        channels.checkPublish(caller(security), channel);
    }

    /** Who publishes through the REST door: its user (a token's {@code sub}; null for an API key or in dev mode). */
    static Publisher publisher(SecurityContext security) {
        Identity caller = security.getUserPrincipal() instanceof Identity identity ? identity : Identity.NOBODY;
        return Publisher.of(Door.REST, caller.user());
    }

    private Identity caller(SecurityContext security) {
        if (!secure(security)) {
            throw new DuplexException(ErrorCode.PERMISSION_DENIED, "production mode answers https:// only");
        }
        Identity caller = security.getUserPrincipal() instanceof Identity identity ? identity : Identity.NOBODY;
        if (!caller.authenticated()) {
            throw new DuplexException(ErrorCode.UNAUTHORIZED,
                    "this endpoint needs credentials: send Authorization: Bearer <API key or token>");
        }
        return caller;
    }

    private boolean secure(SecurityContext security) {
        return !production || security.isSecure();
    }
}
