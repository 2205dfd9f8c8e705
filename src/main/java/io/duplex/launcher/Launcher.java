package io.duplex.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The {@code Main-Class} of duplex.war. A servlet container ignores it; {@code java -jar duplex.war} runs it.
 * It puts the jars of {@code WEB-INF/lib-provided} (Jetty and the embedded server, which a container must
 * never see) on a class loader of their own and hands over to {@code io.duplex.server.DuplexMain}.
 * It uses the JDK alone, because nothing else is on the class path at this point.
 */
public final class Launcher {
    static final String LIB_PROVIDED = "WEB-INF/lib-provided/";
    private static final String MAIN = "io.duplex.server.DuplexMain";

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", ShutdownSafeLogManager.class.getName());
        }
        Path war = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path work = Files.createTempDirectory("duplex-");
        int status;
        try {
            ClassLoader server = serverClassLoader(war, work);
            Thread.currentThread().setContextClassLoader(server);
            status = (int) server.loadClass(MAIN).getMethod("run", Path.class, String[].class, Runnable.class)
                    .invoke(null, war, args, (Runnable) () -> delete(work));
        } catch (InvocationTargetException e) {
            delete(work);
            throw (e.getCause() instanceof Exception cause) ? cause : e;
        }
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * A class loader over the WAR's {@code WEB-INF/lib-provided} jars, copied into {@code work} (the JDK cannot
     * load classes from a jar inside a jar). Its parent is the platform loader: nothing of the WAR leaks in.
     */
    public static ClassLoader serverClassLoader(Path war, Path work) throws IOException {
        List<URL> jars = new ArrayList<>();
        try (JarFile archive = new JarFile(war.toFile())) {
            Enumeration<JarEntry> entries = archive.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.startsWith(LIB_PROVIDED) && name.endsWith(".jar") && name.indexOf('/', LIB_PROVIDED.length()) < 0) {
                    Path jar = work.resolve(name.substring(LIB_PROVIDED.length()));
                    try (InputStream in = archive.getInputStream(entry)) {
                        Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
                    }
                    jars.add(url(jar));
                }
            }
        }
        if (jars.isEmpty()) {
            throw new IOException(war + " has no " + LIB_PROVIDED + ": it is not an executable Duplex WAR");
        }
        return new URLClassLoader("duplex-server", jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("duplex: could not remove " + dir + ": " + e.getMessage());
        }
    }

}
