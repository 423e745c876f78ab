package io.github.cameltokenrefresh.assembly;

import java.net.URI;

import io.github.cameltokenrefresh.internal.ProviderDefinition;
import io.github.cameltokenrefresh.internal.wire.CamelHttpTokenClient;
import io.github.cameltokenrefresh.internal.wire.TokenClient;
import org.apache.camel.CamelContext;

/**
 * Makes the token client of each provider as it starts: Camel HTTP, unless the context holds another factory as a
 * context plugin under this type. That is the seam Camel-level tests use to script the token endpoint without a
 * socket; it lives in a private package (not exported by the bundle) and is no configuration option, because a
 * production provider always speaks HTTP.
 */
@FunctionalInterface
public interface TokenClientFactory {

    /** Camel HTTP to the definition's token URL, with its timeouts, TLS and HTTP options. */
    TokenClientFactory CAMEL_HTTP = (context, definition) -> camelHttp(context, definition,
                                                                      definition.dialect().tokenUrl());

    /** The client of a provider; started and stopped with it when it is a Camel Service. */
    TokenClient create(CamelContext context, ProviderDefinition definition);

    /**
     * The client of the provider's revocation endpoint (RFC 7009), or null without one: Camel HTTP with the token
     * calls' timeouts, TLS and HTTP options, unless a factory scripts it too.
     */
    default TokenClient createRevocation(CamelContext context, ProviderDefinition definition) {
        return definition.revocationUrl() == null ? null : camelHttp(context, definition, definition.revocationUrl());
    }

    private static TokenClient camelHttp(CamelContext context, ProviderDefinition definition, URI url) {
        return new CamelHttpTokenClient(context, url, definition.http().httpOptions(),
                                        definition.http().sslContextParameters(), definition.http().connectTimeout(),
                                        definition.http().responseTimeout(), definition.schedule().refreshConcurrency());
    }

    /** The context's factory: its plugin, or Camel HTTP. */
    static TokenClientFactory of(CamelContext context) {
        TokenClientFactory plugin = context.getCamelContextExtension().getContextPlugin(TokenClientFactory.class);
        return plugin != null ? plugin : CAMEL_HTTP;
    }
}
