package io.duplex.rest;

import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Every error of the REST API becomes a problem document; only the server's own faults are logged with a trace. */
final class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class.getName());

    private ProblemMappers() {
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }

    /** Expected errors with a stable code: bad input, a broken limit, an unavailable engine. */
    @Provider
    public static final class Duplex implements ExceptionMapper<DuplexException> {
        @Context
        private UriInfo uri;

        @Override
        public Response toResponse(DuplexException e) {
            Response problem = Problems.response(e.code(), e.getMessage(), path(uri));
            if (e.code() == ErrorCode.UNAUTHORIZED) {
                // RFC 6750: a 401 names the scheme the client must use.
                return Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"duplex\"").build();
            }
            return problem;
        }
    }

    /** JAX-RS's own answers: no such path (404), wrong method (405), unsupported media type (415)… */
    @Provider
    public static final class Web implements ExceptionMapper<WebApplicationException> {
        @Context
        private UriInfo uri;

        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status >= 500) {
                LOG.log(Level.WARNING, "request failed: " + path(uri), e);
                return Problems.response(ErrorCode.INTERNAL, status, "internal error; the server logged it", path(uri));
            }
            ErrorCode code = status == 404 ? ErrorCode.NOT_FOUND : ErrorCode.BAD_REQUEST;
            Response problem = Problems.response(code, status, detail(e, status), path(uri));
            if (e instanceof NotAllowedException) {
                return Response.fromResponse(problem).allow(e.getResponse().getAllowedMethods()).build();
            }
            return problem;
        }

        private String detail(WebApplicationException e, int status) {
            if (e instanceof NotFoundException) {
                return "no resource at " + path(uri);
            }
            if (e instanceof NotAllowedException) {
                return "method not allowed here; allowed: " + String.join(", ", e.getResponse().getAllowedMethods());
            }
            if (e.getMessage() != null && !e.getMessage().startsWith("HTTP ")) {
                return e.getMessage();
            }
            if (status == 415) {
                return "send the body as application/json";
            }
            if (status == 406) {
                return "this resource answers application/json";
            }
            return e.getResponse().getStatusInfo().getReasonPhrase();
        }
    }

    /** Anything else is a fault of the server: logged once with its trace, answered without details. */
    @Provider
    public static final class Unexpected implements ExceptionMapper<RuntimeException> {
        @Context
        private UriInfo uri;

        @Override
        public Response toResponse(RuntimeException e) {
            LOG.log(Level.WARNING, "request failed: " + path(uri), e);
            return Problems.response(ErrorCode.INTERNAL, "internal error; the server logged it", path(uri));
        }
    }
}
