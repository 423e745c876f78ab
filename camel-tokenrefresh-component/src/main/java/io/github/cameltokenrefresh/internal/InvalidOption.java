package io.github.cameltokenrefresh.internal;

/** The one shape of a configuration error: which provider, which option, what is wrong; never the value of a secret. */
public final class InvalidOption {

    private InvalidOption() {
    }

    public static IllegalArgumentException of(String provider, String option, String problem) {
        return new IllegalArgumentException("tokenrefresh:" + provider + ": option " + option + " " + problem);
    }
}
