package io.github.cameltokenrefresh.internal;

/** The one shape of a configuration error: which provider, which option, what is wrong; never the value of a secret. */
public final class InvalidOption {

    private InvalidOption() {
    }

    public static InvalidOptionException of(String provider, String option, String problem) {
        return new InvalidOptionException(provider, option, problem);
    }
}
