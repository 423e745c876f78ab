package io.github.cameltokenrefresh.store;

/**
 * A fenced save found another fence or version: the lease expired and another owner took it over. Nothing was
 * written; the caller keeps its token in memory, reads the record again and reports it.
 */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(String provider, String account, long fence) {
        super("the refresh lease of provider '" + provider + "' account '" + account + "' (fence " + fence
              + ") was taken over by another owner; nothing was saved");
    }
}
