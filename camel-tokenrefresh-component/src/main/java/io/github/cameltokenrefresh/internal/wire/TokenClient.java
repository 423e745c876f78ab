package io.github.cameltokenrefresh.internal.wire;

import java.io.IOException;

/** Sends one refresh call to the token endpoint and returns the raw answer. */
public interface TokenClient {

    /**
     * @throws IOException when no HTTP answer arrived (refused, reset, timed out); never carries request content
     */
    TokenResponse send(TokenRequest request) throws IOException;
}
