package io.duplex.app;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jboss.weld.environment.servlet.EnhancedListener;

/**
 * Starts the Weld the WAR bundles, unless the container already provides CDI. A servlet container (Jetty,
 * Tomcat) has none, so Weld servlet runs; a Jakarta EE server (GlassFish, WildFly, Open Liberty) manages the
 * application's beans itself, and a second CDI container would fight it. The bundled Weld's own
 * initializer is therefore taken out of its jar at build time (see pom.xml), and this one decides.
 */
public class CdiBootstrap implements ServletContainerInitializer {
    private static final Logger LOG = Logger.getLogger(CdiBootstrap.class.getName());

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
        if (containerProvidesCdi()) {
            LOG.fine("the container provides CDI; the bundled Weld stays off");
            return;
        }
        new EnhancedListener().onStartup(classes, context);
    }

    /**
     * Whether CDI already runs for this application, asked through the CDI API itself ({@code CDI.current()}),
     * which a CDI server answers from the moment it has started the application's container, before the web
     * module starts. Not through JNDI ({@code java:comp/BeanManager}): JNDI is a feature of its own that a server
     * may leave out (Open Liberty without its jndi feature), and then the bundled Weld started beside the
     * server's and failed. Here the bundled Weld has not started yet, so its own provider cannot answer.
     */
    private static boolean containerProvidesCdi() {
        try {
            return CDI.current() != null;
        } catch (RuntimeException e) {
            // IllegalStateException by the API's contract: no provider knows this application, a plain servlet container.
            LOG.log(Level.FINEST, "no container CDI: {0}", e.toString());
            return false;
        }
    }
}
