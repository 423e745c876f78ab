package io.github.cameltokenrefresh.catalog;

/** A provider catalog that cannot be used: the message names the catalog, the entry and the field. */
public final class CatalogException extends RuntimeException {

    public CatalogException(String message) {
        super(message);
    }
}
