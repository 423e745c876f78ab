package io.github.cameltokenrefresh.testing.keycloak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The Keycloak distribution Maven unpacked (system property {@value #DIST_PROPERTY}, set by Failsafe from the parent
 * pom's {@code keycloak.dist.dir}), and a home of its own per instance: {@code kc.sh} copied (the script takes its home
 * from its own real path), the distribution's {@code lib}, {@code conf}, {@code providers} and {@code themes} linked,
 * and an empty {@code data/}, where {@code start-dev} keeps its H2 database. So instances never share a database, and
 * the distribution's {@code lib/quarkus} keeps the one-time build (augmentation) for the next run.
 */
final class KeycloakHome {

    static final String DIST_PROPERTY = "tokenrefresh.keycloak.dist";

    private static final List<String> SHARED_DIRECTORIES = List.of("lib", "conf", "providers", "themes");

    private KeycloakHome() {
    }

    /** The unpacked distribution, or a failure that says how to get one. */
    static Path distribution() {
        String dir = System.getProperty(DIST_PROPERTY);
        if (dir == null || dir.isBlank() || !Files.isRegularFile(Path.of(dir, "bin", "kc.sh"))) {
            throw new IllegalStateException("No Keycloak distribution at " + DIST_PROPERTY + "=" + dir
                                            + ": run the test through Failsafe in a module with keycloak.skip=false "
                                            + "(./mvnw verify -Dit.test=...), which unpacks "
                                            + "org.keycloak:keycloak-quarkus-dist into target/keycloak, or point the "
                                            + "property at an unpacked distribution");
        }
        return Path.of(dir).toAbsolutePath();
    }

    /** A new home for one instance under {@code <distribution>/../runs/<name>}, with the script to start. */
    static Path create(Path distribution, String name) {
        Path home = distribution.resolveSibling("runs").resolve(name);
        try {
            deleteRecursively(home);
            Files.createDirectories(home.resolve("bin"));
            Files.createDirectories(home.resolve("data"));
            Path script = home.resolve("bin").resolve("kc.sh");
            Files.copy(distribution.resolve("bin").resolve("kc.sh"), script, StandardCopyOption.COPY_ATTRIBUTES);
            script.toFile().setExecutable(true);
            for (String shared : SHARED_DIRECTORIES) {
                Files.createSymbolicLink(home.resolve(shared), distribution.resolve(shared));
            }
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a Keycloak home at " + home, e);
        }
    }

    /** Removes an earlier run's home; never follows the links into the distribution. */
    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (var children = Files.list(path)) {
                for (Path child : (Iterable<Path>) children::iterator) {
                    deleteRecursively(child);
                }
            }
        }
        Files.delete(path);
    }
}
