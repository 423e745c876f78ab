package io.github.cameltokenrefresh;

import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The decorate step without an endpoint URI: {@code .process(new TokenRefreshProcessor("aweber"))} in Java, a bean of
 * this type with {@code provider} (and {@code account}, {@code operation}) set in YAML, referenced by
 * {@code process: ref}. It runs the very producer {@code to("tokenrefresh:<provider>")} would: same options, same
 * provider, same account header, same 401 handling.
 */
public final class TokenRefreshProcessor extends ServiceSupport implements Processor {

    private String provider;
    private String account;
    private String operation;
    private volatile AsyncProducer producer;

    /** For a bean whose provider is set as a property. */
    public TokenRefreshProcessor() {
    }

    public TokenRefreshProcessor(String provider) {
        this.provider = provider;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        producer(exchange).process(exchange);
    }

    private AsyncProducer producer(Exchange exchange) throws Exception {
        AsyncProducer p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    if (provider == null || provider.isBlank()) {
                        throw new IllegalArgumentException("TokenRefreshProcessor: provider is required, as in"
                                                           + " new TokenRefreshProcessor(\"aweber\")");
                    }
                    AsyncProducer created = exchange.getContext().getEndpoint(uri()).createAsyncProducer();
                    ServiceHelper.startService(created);
                    producer = created;
                }
                p = producer;
            }
        }
        return p;
    }

    /** The endpoint URI this processor stands for: names the provider, never declares it. */
    private String uri() {
        StringBuilder uri = new StringBuilder("tokenrefresh:").append(provider);
        char sep = '?';
        if (account != null) {
            uri.append(sep).append("account=").append(account);
            sep = '&';
        }
        if (operation != null) {
            uri.append(sep).append("operation=").append(operation);
        }
        return uri.toString();
    }

    @Override
    protected void doStop() throws Exception {
        AsyncProducer p = producer;
        producer = null;
        ServiceHelper.stopService(p);
    }

    public String getProvider() {
        return provider;
    }

    public void setProvider(String provider) {
        this.provider = provider;
    }

    public String getAccount() {
        return account;
    }

    public void setAccount(String account) {
        this.account = account;
    }

    public String getOperation() {
        return operation;
    }

    public void setOperation(String operation) {
        this.operation = operation;
    }

    @Override
    public String toString() {
        return "TokenRefreshProcessor[" + provider + "]";
    }
}
