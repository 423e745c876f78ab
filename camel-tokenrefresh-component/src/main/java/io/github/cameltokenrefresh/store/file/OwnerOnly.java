package io.github.cameltokenrefresh.store.file;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The file store's owner-only checks (POSIX only): which paths group or others may read or write. A directory that
 * denies them passage ({@code x}) hides everything below it, whatever the permissions there.
 */
final class OwnerOnly {

    private OwnerOnly() {
    }

    /** Every exposed path under {@code root}: one stat per file. */
    static List<Path> walk(Path root) throws IOException {
        List<Path> exposed = new ArrayList<>();
        if (!Files.exists(root)) {
            return exposed;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                if (isExposed(Files.getPosixFilePermissions(p))) {
                    exposed.add(p);
                }
            }
        }
        return exposed;
    }

    /**
     * The exposed paths of {@code root} and {@code dir} (a directory right below it), both always, and of the files in
     * {@code dir} only when both directories let group or others pass: two stats, unless the directories are open.
     */
    static List<Path> chain(Path root, Path dir) throws IOException {
        List<Path> exposed = new ArrayList<>();
        boolean passable = true;
        for (Path d : List.of(root, dir)) {
            if (!Files.isDirectory(d)) {
                return exposed;
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(d);
            if (isExposed(perms)) {
                exposed.add(d);
            }
            passable &= perms.contains(PosixFilePermission.GROUP_EXECUTE)
                        || perms.contains(PosixFilePermission.OTHERS_EXECUTE);
        }
        if (!passable) {
            return exposed; // a directory on the way denies passage: nothing in dir is reachable to anyone else
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (isExposed(Files.getPosixFilePermissions(f))) {
                    exposed.add(f);
                }
            }
        }
        return exposed;
    }

    /** Whether group or others may read or write this file; false when it does not exist. */
    static boolean isExposed(Path file) throws IOException {
        try {
            return isExposed(Files.getPosixFilePermissions(file));
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    static boolean isExposed(Set<PosixFilePermission> perms) {
        return perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)
               || perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE);
    }
}
