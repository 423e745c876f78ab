package io.github.cameltokenrefresh.store.jdbc;

/**
 * A {@link JdbcTokenStore} operation failed in the database. The message names the store, the provider, the account
 * and the SQLState, never a token or the record; when the failed statement carried the record, the driver's own
 * exception is left out too, because some drivers quote bound values in their messages.
 */
public class JdbcTokenStoreException extends RuntimeException {

    private final String sqlState;

    JdbcTokenStoreException(String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    /** The SQLState the driver reported (class 08: connection failures), or null. */
    public String getSqlState() {
        return sqlState;
    }
}
