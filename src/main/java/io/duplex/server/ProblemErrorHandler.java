package io.duplex.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answer to a request it refuses before the application sees it (an ambiguous or illegal URI, a
 * header too large): an {@code application/problem+json} document like every other REST error, instead of
 * Jetty's HTML page, for paths under /api and for requests too malformed to have a path.
 */
final class ProblemErrorHandler extends ErrorHandler {
    private static final String BAD_MESSAGE_PATH = "/badMessage";

    /** A request so malformed that it has no usable path (an illegal character in the URI): answered as a problem too. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        return ByteBuffer.wrap(problem(status, reason).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) throws java.io.IOException {
        if (!isApi(request)) {
            super.generateResponse(request, response, code, message, cause, callback);
            return;
        }
        write(response, code, message, callback);
    }

    static boolean isApi(Request request) {
        if (request.getHttpURI() == null) {
            return false;
        }
        String path = request.getHttpURI().getPath();
        // A URI Jetty could not parse at all is replaced by this placeholder: there is no path to tell by.
        return path != null && (path.equals("/api") || path.startsWith("/api/") || path.equals(BAD_MESSAGE_PATH));
    }

    static void write(Response response, int code, String message, Callback callback) {
        response.setStatus(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        response.write(true, ByteBuffer.wrap(problem(code, message).getBytes(StandardCharsets.UTF_8)), callback);
    }

    static String problem(int code, String message) {
        String errorCode = code == 404 ? "not_found" : code == 413 ? "too_large" : code >= 500 ? "internal" : "bad_request";
        String title = HttpStatus.getMessage(code);
        String detail = message == null || message.isBlank() || message.equals(title)
                ? "the request could not be read (" + title.toLowerCase(java.util.Locale.ROOT) + "): check the URI and headers"
                : message;
        return "{\"type\":\"urn:duplex:error:" + errorCode + "\",\"title\":" + quote(title) + ",\"status\":" + code
                + ",\"detail\":" + quote(detail) + ",\"code\":\"" + errorCode + "\"}";
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
