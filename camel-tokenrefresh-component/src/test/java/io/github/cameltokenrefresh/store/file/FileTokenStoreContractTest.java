package io.github.cameltokenrefresh.store.file;

import java.nio.file.Path;

import io.github.cameltokenrefresh.store.TokenStore;
import io.github.cameltokenrefresh.store.TokenStoreContractTest;
import org.junit.jupiter.api.io.TempDir;

class FileTokenStoreContractTest extends TokenStoreContractTest {

    @TempDir
    Path dir;

    @Override
    protected TokenStore createStore() {
        return new FileTokenStore(dir);
    }

}
