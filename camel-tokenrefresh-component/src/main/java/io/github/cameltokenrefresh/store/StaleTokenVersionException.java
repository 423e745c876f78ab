package io.github.cameltokenrefresh.store;

/** A compare-and-set save found a newer record than the one the caller read: someone else saved first. */
public class StaleTokenVersionException extends RuntimeException {

    private final long expectedVersion;
    private final long actualVersion;

    public StaleTokenVersionException(String provider, String account, long expectedVersion, long actualVersion) {
        super("token record for provider '" + provider + "' account '" + account + "' is at version " + actualVersion
              + ", expected " + expectedVersion);
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    public long getExpectedVersion() {
        return expectedVersion;
    }

    public long getActualVersion() {
        return actualVersion;
    }
}
