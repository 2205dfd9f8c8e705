package io.duplex.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code @ServerEndpoint} class of the application, and its configurator, keeps the rules of
 * {@code jakarta.websocket} that any server may enforce when the application deploys: public, concrete, with a
 * public no-argument constructor. Jetty, Tomcat, Tyrus and Undertow do not check them; Open Liberty does, and
 * refused to start the whole application (CWWKH0001E) over an endpoint with only a package-private constructor.
 */
class EndpointRulesTest {

    @Test
    void everyServerEndpointAndItsConfiguratorArePublicConcreteAndHaveAPublicNoArgumentConstructor() throws Exception {
        List<Class<?>> endpoints = serverEndpoints();
        assertTrue(endpoints.contains(DuplexEndpoint.class) && endpoints.contains(StompEndpoint.class), "found the endpoints: " + endpoints);
        for (Class<?> endpoint : endpoints) {
            assertInstantiableByAContainer(endpoint);
            Class<? extends ServerEndpointConfig.Configurator> configurator = endpoint.getAnnotation(ServerEndpoint.class).configurator();
            assertInstantiableByAContainer(configurator);
        }
    }

    private static void assertInstantiableByAContainer(Class<?> type) throws NoSuchMethodException {
        int modifiers = type.getModifiers();
        assertTrue(Modifier.isPublic(modifiers), type + " is public");
        assertTrue(!Modifier.isAbstract(modifiers) && !type.isInterface(), type + " is concrete");
        assertTrue(type.getEnclosingClass() == null || Modifier.isStatic(modifiers), type + " is top-level or static");
        Constructor<?> constructor = type.getConstructor();
        assertEquals(0, constructor.getParameterCount());
        assertTrue(Modifier.isPublic(constructor.getModifiers()), constructor + " is public");
    }

    /** The classes annotated with {@code @ServerEndpoint} among the application's compiled classes. */
    private static List<Class<?>> serverEndpoints() throws Exception {
        Path classes = Path.of(DuplexEndpoint.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String name = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
                name = name.substring(0, name.length() - ".class".length());
                Class<?> type = Class.forName(name, false, EndpointRulesTest.class.getClassLoader());
                if (type.isAnnotationPresent(ServerEndpoint.class)) {
                    found.add(type);
                }
            }
        }
        return found;
    }
}
