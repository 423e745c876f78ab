package io.github.cameltokenrefresh.token;

/** Receives token events; called on the refreshing thread, so it must return quickly and never throw. */
@FunctionalInterface
public interface TokenEventListener {

    void onEvent(TokenEvent event);
}
