package io.github.cameltokenrefresh.internal.wire;

/**
 * The token client is stopping or stopped: no token call was sent. Not an {@link java.io.IOException}, which means
 * the endpoint is unreachable and pauses it: the endpoint is fine, this process is going away.
 */
public class TokenClientStoppedException extends RuntimeException {

    public TokenClientStoppedException(String message) {
        super(message);
    }
}
