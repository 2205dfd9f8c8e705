package io.duplex.pusher.api;

import io.duplex.config.DuplexConfig;
import io.duplex.config.PusherApp;
import io.duplex.pusher.ApiSignature;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Checks that a request of the HTTP API is signed by the app it names (Pusher's codes: 404 no such app, 401 a wrong
 * key, signature or body digest, or a timestamp outside 600 s, 403 a disabled app, checked after the signature so that
 * only the app's owner learns it is disabled).
 */
@ApplicationScoped
public class SignedRequests {
    private static final Logger LOG = Logger.getLogger(SignedRequests.class.getName());

    private final DuplexConfig config;
    private final Clock clock;

    protected SignedRequests() {
        // for CDI's client proxy
        this.config = null;
        this.clock = null;
    }

    @Inject
    public SignedRequests(DuplexConfig config) {
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    /** The app the request is signed by, or a thrown refusal. */
    PusherApp app(String appId, String method, UriInfo uri, byte[] body) {
        Optional<PusherApp> found = config.pusher().appById(appId);
        if (found.isEmpty()) {
            throw refuse(404, "Unknown app id");
        }
        PusherApp app = found.get();
        Optional<String> refusal = ApiSignature.refusal(app, method, uri.getRequestUri().getPath(), uri.getQueryParameters(),
                body, clock.millis() / 1000);
        if (refusal.isPresent()) {
            // One line: a caller with a wrong secret or clock is worth telling the operator about; no secret in it.
            LOG.info(() -> "Pusher API request to " + app + " refused with 401: " + refusal.get());
            throw refuse(401, refusal.get());
        }
        if (!app.enabled()) {
            throw refuse(403, "App is disabled");
        }
        return app;
    }

    /**
     * The request's body, read whole up to {@code batch.max.bytes} (a body is signed as a whole, so it is read before
     * anything is checked); a larger one is refused with 413 without reading the rest.
     */
    byte[] body(InputStream in) {
        int max = config.batchMaxBytes();
        try {
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) {
                throw refuse(413, "Request body is over " + max + " bytes (batch.max.bytes)");
            }
            return body;
        } catch (IOException e) {
            throw refuse(400, "The request body could not be read");
        }
    }

    static WebApplicationException refuse(int status, String message) {
        return new WebApplicationException(PusherApiErrors.text(status, message));
    }
}
