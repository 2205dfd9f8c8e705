package io.duplex.transport.sse;

import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The event streams' two paths under {@code /api}: {@code GET /api/channels/{channel}/events} and
 * {@code GET /api/events?channel=a&channel=b}; every other request goes on to the REST API. A servlet filter in front of
 * the JAX-RS servlet rather than a resource, because a stream is written with the Servlet API's non-blocking output (a
 * reader that stops reading must hold no thread, and JAX-RS's {@code SseEventSink} writes blocking in Jersey), and a
 * servlet mapping cannot name a path with a channel in its middle. The OpenAPI document describes both paths
 * ({@code OpenApiSpec}); refusals are problem documents as the REST API's are.
 */
public class EventStreamFilter implements Filter {
    private static final Logger LOG = Logger.getLogger(EventStreamFilter.class.getName());
    private static final String PREFIX = "/api/channels/";
    private static final String SUFFIX = "/events";
    private static final String EVENTS = "/api/events";

    private EventStreams streams;

    @Override
    public void init(FilterConfig config) {
        // The container, not CDI, makes filters, and not every container injects into them: looked up once here.
        streams = CDI.current().select(EventStreams.class).get();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        String channel = null;
        boolean several = EVENTS.equals(path);
        if (!several) {
            if (!path.startsWith(PREFIX) || !path.endsWith(SUFFIX) || path.length() <= PREFIX.length() + SUFFIX.length()) {
                chain.doFilter(req, res);
                return;
            }
            channel = path.substring(PREFIX.length(), path.length() - SUFFIX.length());
            if (channel.indexOf('/') >= 0) {
                chain.doFilter(req, res);
                return;
            }
        }
        if (!"GET".equals(request.getMethod())) {
            response.setHeader("Allow", "GET");
            problem(request, response, ErrorCode.BAD_REQUEST, 405, "an event stream is read with GET");
            return;
        }
        try {
            var caller = streams.caller(request);
            String lastEventId = request.getHeader(StreamRequest.LAST_EVENT_ID);
            String since = request.getParameter("since");
            StreamRequest stream = several
                    ? StreamRequest.ofChannels(request.getParameterValues("channel"), streams.maxChannels(), lastEventId, since)
                    : StreamRequest.ofChannel(channel, lastEventId, since);
            streams.open(request, response, stream, caller);
        } catch (DuplexException e) {
            problem(request, response, e.code(), e.code().httpStatus(), e.getMessage());
            completeIfAsync(request);
        } catch (RuntimeException e) {
            // Not the client's fault: worth a stack trace, once, here.
            LOG.log(Level.WARNING, "opening an event stream failed: " + request.getRequestURI(), e);
            if (!response.isCommitted()) {
                problem(request, response, ErrorCode.INTERNAL, 500, "internal error; the server logged it");
            }
            completeIfAsync(request);
        }
    }

    /** A refusal after the request went async (a limit, the engine): the problem is written, then the response ends. */
    private static void completeIfAsync(HttpServletRequest request) {
        if (request.isAsyncStarted()) {
            request.getAsyncContext().complete();
        }
    }

    /** A refusal before the stream started, as the REST API's problem documents (the path, never the query: a token). */
    private static void problem(HttpServletRequest request, HttpServletResponse response, ErrorCode code, int status, String detail)
            throws IOException {
        response.setStatus(status);
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"duplex\"");
        }
        response.setContentType("application/problem+json");
        JsonObjectBuilder body = Json.createObjectBuilder().add("type", "urn:duplex:error:" + code.code())
                .add("title", title(status)).add("status", status).add("detail", detail).add("code", code.code())
                .add("instance", request.getRequestURI());
        response.getOutputStream().write(body.build().toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 405 -> "Method Not Allowed";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Error " + status;
        };
    }
}
