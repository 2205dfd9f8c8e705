package io.duplex.pusher.api;

import io.duplex.error.DuplexException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** The node's own refusals (too large, engine unavailable) as Pusher answers errors: a status and a line of text. */
@Provider
public class PusherApiErrors implements ExceptionMapper<DuplexException> {

    @Override
    public Response toResponse(DuplexException e) {
        return text(e.code().httpStatus(), e.getMessage());
    }

    static Response text(int status, String message) {
        return Response.status(status).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity(message + "\n").build();
    }
}
