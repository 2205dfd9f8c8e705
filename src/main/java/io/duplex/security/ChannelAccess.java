package io.duplex.security;

import io.duplex.channel.ChannelName;
import io.duplex.config.DuplexConfig;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Decides who may read (subscribe, history, presence) and publish to which channel, from three sources:
 * <ul>
 * <li>the token's claims: {@code subscribe} and {@code publish}, lists of channel names or prefixes ending
 * in {@code *};</li>
 * <li>public namespaces ({@code channels.public}, default {@code public:}): anyone connected may read them;</li>
 * <li>user channels: a channel whose name ends in {@code #USER} (e.g. {@code user#42}, {@code inbox:orders#42})
 * may be read by that user only.</li>
 * </ul>
 * Admins (API keys, tokens with {@code "admin":true}, every client of a node that checks no tokens) may do
 * everything. Publishing needs a claim: public and user channels are written by the server side.
 */
@ApplicationScoped
public class ChannelAccess {
    private final List<String> publicNamespaces;

    protected ChannelAccess() {
        // for CDI's client proxy
        this.publicNamespaces = List.of();
    }

    @Inject
    public ChannelAccess(DuplexConfig config) {
        this.publicNamespaces = config.auth().publicNamespaces();
    }

    public boolean mayRead(Identity identity, ChannelName channel) {
        String name = channel.value();
        if (identity.admin() || matchesAny(identity.subscribe(), name)) {
            return true;
        }
        if (publicNamespaces.stream().anyMatch(name::startsWith)) {
            return true;
        }
        int hash = name.lastIndexOf('#');
        return hash >= 0 && identity.user() != null && name.substring(hash + 1).equals(identity.user());
    }

    public boolean mayPublish(Identity identity, ChannelName channel) {
        return identity.admin() || matchesAny(identity.publish(), channel.value());
    }

    public void checkRead(Identity identity, ChannelName channel) {
        if (!mayRead(identity, channel)) {
            throw new DuplexException(ErrorCode.PERMISSION_DENIED, "not allowed to read channel '" + channel + "'");
        }
    }

    public void checkPublish(Identity identity, ChannelName channel) {
        if (!mayPublish(identity, channel)) {
            throw new DuplexException(ErrorCode.PERMISSION_DENIED, "not allowed to publish to channel '" + channel + "'");
        }
    }

    /** A pattern is a channel name, or a prefix followed by {@code *} ({@code *} alone: every channel). */
    static boolean matchesAny(List<String> patterns, String channel) {
        for (String pattern : patterns) {
            if (pattern.endsWith("*") ? channel.startsWith(pattern.substring(0, pattern.length() - 1)) : pattern.equals(channel)) {
                return true;
            }
        }
        return false;
    }
}
