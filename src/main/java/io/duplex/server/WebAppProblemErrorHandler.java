package io.duplex.server;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The web application's error handler: what {@link ProblemErrorHandler} does for the server, for requests
 * that reached the application's context but were refused before JAX-RS saw them (a bad URI encoding).
 */
final class WebAppProblemErrorHandler extends ErrorPageErrorHandler {

    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
            List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
        if (!ProblemErrorHandler.isApi(request)) {
            return super.generateAcceptableResponse(request, response, callback, contentType, charsets, code, message, cause);
        }
        ProblemErrorHandler.write(response, code, message, callback);
        return true;
    }
}
