package io.duplex.server;

import io.duplex.config.Embedded;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Keeps the management port to what it is for, and /metrics to it. A request through the management port may ask for
 * /metrics and /api/health/* only, and is marked ({@link Embedded#MANAGEMENT_REQUEST}) so that the application serves
 * the metrics without credentials; everything else there is 404. With a management port, the main port (the one a
 * proxy exposes) answers /metrics with 404. The connector a request came through is Jetty's to say, not a header's.
 */
final class ManagementRoutes extends Handler.Wrapper {
    private static final String METRICS = "/metrics";
    private static final String HEALTH = "/api/health";

    private final Connector management;

    /** @param management the management connector, or null when there is none */
    ManagementRoutes(Connector management, Handler application) {
        super(application);
        this.management = management;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (management == null) {
            return super.handle(request, response, callback);
        }
        String path = request.getHttpURI().getCanonicalPath();
        boolean metrics = METRICS.equals(path);
        if (request.getConnectionMetaData().getConnector() == management) {
            if (!metrics && !(path != null && (path.equals(HEALTH) || path.startsWith(HEALTH + "/")))) {
                ProblemErrorHandler.write(response, 404, "the management port serves " + METRICS + " and " + HEALTH + "/* only",
                        callback);
                return true;
            }
            request.setAttribute(Embedded.MANAGEMENT_REQUEST, Boolean.TRUE);
        } else if (metrics) {
            ProblemErrorHandler.write(response, 404, "the metrics are served on the management port", callback);
            return true;
        }
        return super.handle(request, response, callback);
    }
}
