package io.github.cameltokenrefresh.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import javax.crypto.SecretKey;

import io.github.cameltokenrefresh.store.StaleTokenVersionException;
import io.github.cameltokenrefresh.store.StoredToken;
import io.github.cameltokenrefresh.store.TokenStore;
import io.github.cameltokenrefresh.store.record.RecordCipher;
import io.github.cameltokenrefresh.store.record.TokenRecordCodec;
import io.github.cameltokenrefresh.token.Token;

/**
 * The embedded default store: one JSON file per provider and account under a directory only the owner can read.
 * A save writes a temporary file, forces it to disk, renames it over the old one and forces the directory, so a
 * crash at any moment leaves either the old record or the new one, never a torn file. Saving one account touches only
 * that account's file, however many accounts are stored.
 * <p>
 * Compare-and-set holds within one JVM. Several processes sharing one directory are not coordinated; use a shared
 * store for that.
 */
public class FileTokenStore implements TokenStore {

    private static final String SUFFIX = ".json";
    private static final String TMP_INFIX = ".tmp-";
    private static final long PID = ProcessHandle.current().pid();
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path directory;
    private final RecordCipher cipher;
    /** Lock stripes for record files: bounded, unlike a lock per account ever saved. */
    private final Object[] locks = new Object[64];
    private final Set<Path> swept = ConcurrentHashMap.newKeySet();

    public FileTokenStore(Path directory) {
        this(directory, null);
    }

    /**
     * @param encryptionKey an AES key to encrypt records with (AES-GCM), or null for plain JSON. Plain records found
     *                      with a key set are still read, and encrypted at their next save.
     */
    public FileTokenStore(Path directory, SecretKey encryptionKey) {
        this.directory = directory.toAbsolutePath().normalize();
        this.cipher = encryptionKey == null ? null : new RecordCipher(encryptionKey);
        Arrays.setAll(locks, i -> new Object());
    }

    private Object lockFor(Path file) {
        return locks[Math.floorMod(file.hashCode(), locks.length)];
    }

    public boolean isEncrypted() {
        return cipher != null;
    }

    /** Whether records are encrypted with exactly this key (null: not encrypted). */
    public boolean usesKey(SecretKey key) {
        return key == null ? cipher == null : cipher != null && cipher.uses(key);
    }

    public Path getDirectory() {
        return directory;
    }

    @Override
    public StoredToken load(String provider, String account) {
        Path file = file(provider, account);
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (RecordCipher.isEncrypted(bytes)) {
                if (cipher == null) {
                    throw new IOException("token record " + file + " is encrypted; set storeEncryptionKey");
                }
                bytes = cipher.decrypt(provider, account, bytes);
            }
            return TokenRecordCodec.decode(bytes);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read token record " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public StoredToken save(String provider, String account, Token token, long expectedVersion) {
        // file channels close themselves on an interrupted thread, and this save may hold the only valid refresh
        // token (shutdown interrupts threads): write with the flag cleared, then restore it
        boolean interrupted = Thread.interrupted();
        try {
            return saveUninterrupted(provider, account, token, expectedVersion);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private StoredToken saveUninterrupted(String provider, String account, Token token, long expectedVersion) {
        Path file = file(provider, account);
        synchronized (lockFor(file)) {
            StoredToken current = load(provider, account);
            long actual = current == null ? 0 : current.version();
            if (actual != expectedVersion) {
                throw new StaleTokenVersionException(provider, account, expectedVersion, actual);
            }
            StoredToken record = new StoredToken(token, actual + 1);
            try {
                byte[] bytes = TokenRecordCodec.encode(provider, account, record);
                writeAtomically(file, cipher == null ? bytes : cipher.encrypt(provider, account, bytes));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write token record " + file + ": " + e.getMessage(), e);
            }
            return record;
        }
    }

    @Override
    public void delete(String provider, String account) {
        Path file = file(provider, account);
        synchronized (lockFor(file)) {
            try {
                Files.deleteIfExists(file);
                forceDirectory(file.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete token record " + file, e);
            }
        }
    }

    @Override
    public List<String> accounts(String provider) {
        Path dir = directory.resolve(encode(provider));
        List<String> accounts = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return accounts;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                accounts.add(decode(name.substring(0, name.length() - SUFFIX.length())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list token records in " + dir, e);
        }
        return accounts;
    }

    /** Files or directories under the store that others than the owner can read or write: every one, a walk. */
    public List<Path> findExposedFiles() throws IOException {
        return POSIX ? OwnerOnly.walk(directory) : new ArrayList<>();
    }

    /**
     * What group or others could read or write of one provider's records, found without a look at every record when
     * the directories allow: the store directory and the provider's directory are checked, and when either of them
     * denies group and others passage (no {@code x}, as {@code rwx------}), nothing below is reachable to them whatever
     * its own permissions, so nothing below is looked at. Only when both let them pass are the provider's records
     * checked one by one.
     */
    public List<Path> findExposedFiles(String provider) throws IOException {
        return POSIX ? OwnerOnly.chain(directory, directory.resolve(encode(provider))) : new ArrayList<>();
    }

    /** The account's record when group or others may read or write the file itself; null otherwise or without one. */
    public Path findExposedRecord(String provider, String account) throws IOException {
        Path file = file(provider, account);
        return POSIX && OwnerOnly.isExposed(file) ? file : null;
    }

    Path file(String provider, String account) {
        return directory.resolve(encode(provider)).resolve(encode(account) + SUFFIX);
    }

    private void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.getParent();
        createOwnerOnlyDirectories(dir);
        // the writer's process id in the name: a sweep removes only what a process that is gone left behind
        Path tmp = dir.resolve("." + file.getFileName() + TMP_INFIX + PID + "-"
                               + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel channel = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                                                        fileAttributes(OWNER_FILE))) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(dir);
            deleteLeftoversOnce(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Temporary files that a process killed mid-save left behind: each holds a whole token record. Only those of a
     * process that is no longer alive are removed: this process's other threads, and other live processes, may be
     * writing theirs right now. One sweep per directory, at its first save by this process, is enough (leftovers come
     * only from a process that died); a sweep per save would make saving cost more as accounts grow.
     */
    private void deleteLeftoversOnce(Path dir) {
        if (!swept.add(dir)) {
            return;
        }
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, ".*" + TMP_INFIX + "*")) {
            for (Path leftover : leftovers) {
                if (!isWriterAlive(leftover.getFileName().toString())) {
                    Files.deleteIfExists(leftover);
                }
            }
        } catch (IOException e) {
            // best effort: the record itself is saved
        }
    }

    /** Whether the process that wrote this temporary file may still be writing it; names without a pid are old. */
    static boolean isWriterAlive(String tempFileName) {
        String rest = tempFileName.substring(tempFileName.lastIndexOf(TMP_INFIX) + TMP_INFIX.length());
        int dash = rest.indexOf('-');
        long pid;
        try {
            pid = dash < 0 ? -1 : Long.parseLong(rest.substring(0, dash));
        } catch (NumberFormatException e) {
            pid = -1;
        }
        return pid == PID || (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    private void createOwnerOnlyDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (!dir.equals(directory)) {
            createOwnerOnlyDirectories(dir.getParent());
        }
        try {
            Files.createDirectory(dir, fileAttributes(OWNER_DIR));
        } catch (FileAlreadyExistsException e) {
            // created concurrently
        }
        if (dir.getParent() != null) {
            forceDirectory(dir.getParent());
        }
    }

    private static FileAttribute<?>[] fileAttributes(Set<PosixFilePermission> perms) {
        return POSIX ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(perms) } : new FileAttribute<?>[0];
    }

    /** Makes a rename durable: on Linux a directory's entries reach the disk only when the directory is forced. */
    private static void forceDirectory(Path dir) {
        if (!POSIX) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems cannot open directories; the rename is still atomic
        }
    }

    /** File-name safe and reversible: letters, digits, '-' and '_' as is, everything else as %XX of its UTF-8. */
    static String encode(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }

    static String decode(String encoded) {
        byte[] out = new byte[encoded.length()];
        int n = 0;
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%' && i + 2 < encoded.length()) {
                out[n++] = (byte) Integer.parseInt(encoded.substring(i + 1, i + 3), 16);
                i += 2;
            } else {
                out[n++] = (byte) c;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "FileTokenStore[" + directory + (cipher == null ? "" : ", encrypted") + "]";
    }
}
