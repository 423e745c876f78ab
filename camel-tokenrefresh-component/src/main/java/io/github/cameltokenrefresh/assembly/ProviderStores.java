package io.github.cameltokenrefresh.assembly;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.cameltokenrefresh.internal.InvalidOption;
import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.internal.ProviderDefinition.StoreSettings;
import io.github.cameltokenrefresh.store.TokenStore;
import io.github.cameltokenrefresh.store.file.FileTokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stores of a context's providers: the store bean a provider names, or one file store per directory shared by
 * the providers using it, whose permissions are checked before a provider uses it. Token records are as secret as
 * passwords: a store others can read is refused unless the provider allows it.
 */
public final class ProviderStores {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderStores.class);

    private final Map<Path, FileTokenStore> fileStores = new ConcurrentHashMap<>();
    private volatile PermissionCheck permissionCheck = FileTokenStore::findExposedFiles;

    /** How a file store is checked; a seam for the test that blocks it. */
    @FunctionalInterface
    public interface PermissionCheck {
        List<Path> exposed(FileTokenStore store, String provider) throws IOException;
    }

    void permissionCheck(PermissionCheck check) {
        this.permissionCheck = check;
    }

    /** The store bean, or the file store of the directory, checked; may read the disk. */
    TokenStore store(StoreSettings settings, String name) {
        if (settings.store() != null) {
            return settings.store();
        }
        Path directory = settings.storeDirectory();
        FileTokenStore store = fileStores.computeIfAbsent(directory, d -> {
            if (settings.storeEncryptionKey() == null) {
                // once per directory: owner-only files, but anyone who reads the disk or a backup reads the tokens
                LOG.warn("tokenrefresh:{}: the file store {} keeps refresh tokens unencrypted on disk (owner-only"
                         + " files); set storeEncryptionKey (a Base64 AES key from {{env:...}} or a vault) to"
                         + " encrypt them", name, d);
            }
            return new FileTokenStore(d, settings.storeEncryptionKey());
        });
        if (!store.usesKey(settings.storeEncryptionKey())) {
            throw new IllegalArgumentException("tokenrefresh: option storeEncryptionKey: providers sharing the store "
                                               + directory + " must use the same key, or none");
        }
        report(name, exposed(name, store), settings.allowExposedStore());
        return store;
    }

    /**
     * An endpoint names this account of the provider: its record, about to be read, must be owner-only even where
     * the directories already hide it (a record checked as it is used, not every record at start).
     */
    void checkRecord(Provider provider, String account) {
        if (provider.store() instanceof FileTokenStore store && fileStores.containsValue(store)) {
            Path exposed;
            try {
                exposed = store.findExposedRecord(provider.name(), account);
            } catch (IOException e) {
                throw InvalidOption.of(provider.name(), "storeDirectory", "cannot be checked: " + e.getMessage());
            }
            if (exposed != null) {
                report(provider.name(), List.of(exposed), provider.definition().store().allowExposedStore());
            }
        }
    }

    /**
     * The directories are checked, and the records only where the directories let others pass (FileTokenStore
     * #findExposedFiles(String)), so a store of 100,000 accounts costs two stats, not a walk.
     */
    private List<Path> exposed(String name, FileTokenStore store) {
        try {
            return permissionCheck.exposed(store, name);
        } catch (IOException e) {
            throw InvalidOption.of(name, "storeDirectory", "cannot be checked: " + e.getMessage());
        }
    }

    private static void report(String name, List<Path> exposed, boolean allowExposed) {
        if (exposed.isEmpty()) {
            return;
        }
        String problem = exposed.size() + " file(s) readable or writable by group or others, e.g. " + exposed.get(0)
                         + "; make them owner-only (chmod 600 files, 700 directories)";
        if (!allowExposed) {
            throw InvalidOption.of(name, "storeDirectory", "has " + problem + ", or set allowExposedStore=true");
        }
        LOG.warn("tokenrefresh:{}: the token store has {}", name, problem);
    }
}
