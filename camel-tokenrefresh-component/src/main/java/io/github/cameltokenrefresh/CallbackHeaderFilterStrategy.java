package io.github.cameltokenrefresh;

import org.apache.camel.support.DefaultHeaderFilterStrategy;

/**
 * The header filter of the authorization callback's platform-http endpoint: platform-http's own filter, except that
 * {@code Cache-Control} goes out. Camel's HTTP filters treat Cache-Control as a hop header of the exchange and drop it
 * on the way out; the callback's pages must say {@code no-store} (they follow a link that held a code). The route
 * template sets it as the endpoint's {@code headerFilterStrategy}; a callback route of your own can do the same with
 * {@code headerFilterStrategy=#class:io.github.cameltokenrefresh.CallbackHeaderFilterStrategy}.
 */
public class CallbackHeaderFilterStrategy extends DefaultHeaderFilterStrategy {

    public CallbackHeaderFilterStrategy() {
        // platform-http's out filter (Camel's HttpUtil common filters) without cache-control
        getOutFilter().add("content-length");
        getOutFilter().add("content-type");
        getOutFilter().add("host");
        getOutFilter().add("connection");
        getOutFilter().add("date");
        getOutFilter().add("pragma");
        getOutFilter().add("trailer");
        getOutFilter().add("transfer-encoding");
        getOutFilter().add("upgrade");
        getOutFilter().add("via");
        getOutFilter().add("warning");
        setLowerCase(true);
        setOutFilterStartsWith(CAMEL_FILTER_STARTS_WITH);
    }
}
