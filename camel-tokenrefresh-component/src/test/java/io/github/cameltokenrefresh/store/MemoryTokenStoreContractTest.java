package io.github.cameltokenrefresh.store;

class MemoryTokenStoreContractTest extends TokenStoreContractTest {

    @Override
    protected TokenStore createStore() {
        return new MemoryTokenStore();
    }
}
