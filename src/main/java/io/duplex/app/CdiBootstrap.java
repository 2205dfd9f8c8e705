package io.duplex.app;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.jboss.weld.environment.servlet.EnhancedListener;

/**
 * Starts the Weld the WAR bundles, unless the container already provides CDI. A servlet container (Jetty,
 * Tomcat) has none, so Weld servlet runs; a Jakarta EE server (GlassFish, WildFly) manages the
 * application's beans itself, and a second CDI container would fight it. The bundled Weld's own
 * initializer is therefore taken out of its jar at build time (see pom.xml), and this one decides.
 */
public class CdiBootstrap implements ServletContainerInitializer {
    private static final Logger LOG = Logger.getLogger(CdiBootstrap.class.getName());
    // Every Jakarta EE server binds the application's BeanManager here.
    private static final String CONTAINER_BEAN_MANAGER = "java:comp/BeanManager";

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
        if (containerProvidesCdi()) {
            LOG.fine("the container provides CDI; the bundled Weld stays off");
            return;
        }
        new EnhancedListener().onStartup(classes, context);
    }

    private static boolean containerProvidesCdi() {
        try {
            return new InitialContext().lookup(CONTAINER_BEAN_MANAGER) != null;
        } catch (NamingException | RuntimeException e) {
            // No JNDI at all (embedded Jetty) or no BeanManager in it (Tomcat): a plain servlet container.
            LOG.log(Level.FINEST, "no container CDI: {0}", e.toString());
            return false;
        }
    }
}
