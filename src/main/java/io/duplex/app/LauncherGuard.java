package io.duplex.app;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Answers 404 for everything under {@code /io/}: the WAR's root holds the {@code java -jar} launcher
 * ({@code io/duplex/launcher}), which is for the JVM, never for a browser. web.xml's security constraint on
 * the same path is not enough on its own: a server without a security feature (Open Liberty without
 * {@code appSecurity}) ignores it and served the class files. A filter runs in every container, before the
 * container's default servlet could serve a file.
 */
public class LauncherGuard implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException {
        ((HttpServletResponse) response).sendError(HttpServletResponse.SC_NOT_FOUND);
    }
}
