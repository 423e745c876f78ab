package io.github.cameltokenrefresh.store;

class MemoryTokenStoreContractTest extends TokenStoreContractTest {

    @Override
    TokenStore createStore() {
        return new MemoryTokenStore();
    }
}
