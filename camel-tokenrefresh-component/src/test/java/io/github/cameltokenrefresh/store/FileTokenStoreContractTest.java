package io.github.cameltokenrefresh.store;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

class FileTokenStoreContractTest extends TokenStoreContractTest {

    @TempDir
    Path dir;

    @Override
    TokenStore createStore() {
        return new FileTokenStore(dir);
    }

}
