package io.duplex.rest;

import io.duplex.error.ErrorCode;
import jakarta.ws.rs.core.Response;

/** Builds {@code application/problem+json} responses (RFC 9457) carrying protocol v1's stable error codes. */
final class Problems {
    static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {
    }

    static Response response(ErrorCode code, int status, String detail, String instance) {
        Dto.Problem problem = new Dto.Problem("urn:duplex:error:" + code.code(), title(status), status, detail, code.code(), instance);
        return Response.status(status).type(MEDIA_TYPE).entity(problem).build();
    }

    static Response response(ErrorCode code, String detail, String instance) {
        return response(code, code.httpStatus(), detail, instance);
    }

    private static String title(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        if (known != null) {
            return known.getReasonPhrase();
        }
        return status == 429 ? "Too Many Requests" : "Error " + status;
    }
}
