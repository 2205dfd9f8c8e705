package io.duplex.metrics;

import io.duplex.config.DuplexConfig;
import io.duplex.config.Embedded;
import io.duplex.config.Mode;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import io.duplex.security.Credentials;
import io.duplex.security.Identity;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.json.Json;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: every meter in Prometheus's text format (or OpenMetrics, when the scraper asks for it), under
 * its own access rule ({@code metrics.access}): by default the caller needs an API key or an admin token, as for
 * {@code /api/sessions}, and in production mode https://; {@code open} serves anyone; {@code off} serves no one. A
 * request the embedded server marks as come through the management port is served without credentials: the port is the
 * rule there. A plain servlet, not a JAX-RS resource: the metrics are no part of the REST API's contract or its
 * OpenAPI document, and their requests are not timed among the API's.
 */
@WebServlet(name = "metrics", urlPatterns = "/metrics")
public class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final String OPENMETRICS = "application/openmetrics-text";
    private static final String OPENMETRICS_TYPE = OPENMETRICS + "; version=1.0.0; charset=utf-8";
    private static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private transient Metrics metrics;
    private transient BridgeMeters bridges;
    private transient Credentials credentials;
    private transient DuplexConfig config;

    @Override
    public void init() {
        // The container, not CDI, makes servlets, and not every container injects into them: looked up once here.
        CDI<Object> cdi = CDI.current();
        metrics = cdi.select(Metrics.class).get();
        bridges = cdi.select(BridgeMeters.class).get();
        credentials = cdi.select(Credentials.class).get();
        config = cdi.select(DuplexConfig.class).get();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String refusal = refusal(request, response);
        if (refusal != null) {
            return;
        }
        String accept = request.getHeader("Accept");
        String contentType = accept != null && accept.contains(OPENMETRICS) ? OPENMETRICS_TYPE : PROMETHEUS_TYPE;
        response.setContentType(contentType);
        response.setHeader("Cache-Control", "no-store");
        bridges.refresh();
        try (OutputStream out = response.getOutputStream()) {
            metrics.scrape(out, contentType);
        }
    }

    /** Answers the request with a problem and says why, or returns null when it may be served. */
    private String refusal(HttpServletRequest request, HttpServletResponse response) throws IOException {
        DuplexConfig.MetricsAccess access = config.management().metricsAccess();
        if (Boolean.TRUE.equals(request.getAttribute(Embedded.MANAGEMENT_REQUEST)) || access == DuplexConfig.MetricsAccess.OPEN) {
            return null;
        }
        if (access == DuplexConfig.MetricsAccess.OFF) {
            return problem(response, ErrorCode.NOT_FOUND, 404, "the metrics are not served here (metrics.access=off)");
        }
        if (config.mode() == Mode.PRODUCTION && !request.isSecure()) {
            return problem(response, ErrorCode.PERMISSION_DENIED, 403, "production mode answers https:// only");
        }
        Identity caller;
        try {
            caller = credentials.caller(request.getHeader("Authorization"));
        } catch (DuplexException e) {
            return problem(response, e.code(), 401, e.getMessage());
        }
        if (!caller.authenticated()) {
            return problem(response, ErrorCode.UNAUTHORIZED, 401,
                    "the metrics need credentials: send Authorization: Bearer <API key or admin token> (metrics.access=api-key)");
        }
        if (!caller.admin()) {
            return problem(response, ErrorCode.PERMISSION_DENIED, 403, "the metrics need an API key or an admin token");
        }
        return null;
    }

    private static String problem(HttpServletResponse response, ErrorCode code, int status, String detail) throws IOException {
        response.setStatus(status);
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.setContentType("application/problem+json");
        String title = status == 401 ? "Unauthorized" : status == 403 ? "Forbidden" : "Not Found";
        String body = Json.createObjectBuilder().add("type", "urn:duplex:error:" + code.code()).add("title", title)
                .add("status", status).add("detail", detail).add("code", code.code()).build().toString();
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        return detail;
    }
}
