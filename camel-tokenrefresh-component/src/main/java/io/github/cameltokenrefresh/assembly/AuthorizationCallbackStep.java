package io.github.cameltokenrefresh.assembly;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.cameltokenrefresh.internal.InvalidOption;
import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.internal.authorize.AuthorizationCodeFlow;
import io.github.cameltokenrefresh.internal.authorize.CallbackResult;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The two producer operations of the authorization-code flow. The callback reads the query parameters platform-http
 * put in headers, then clears every header: nothing of the request (the code among it) is echoed as a response
 * header or travels further down the route.
 */
public final class AuthorizationCallbackStep {

    private AuthorizationCallbackStep() {
    }

    /** The provider's flow; fails naming the options that enable it. */
    public static AuthorizationCodeFlow flow(Provider provider) {
        AuthorizationCodeFlow flow = provider.authorization();
        if (flow == null) {
            throw InvalidOption.of(provider.name(), "redirectUri", "is not set: operations authorizationUrl and "
                                   + "authorizationCallback need the authorization-code flow (authorizationUrl, "
                                   + "redirectUri, clientId and stateSecret)");
        }
        return flow;
    }

    public static void authorizationUrl(Provider provider, Message message, String account) {
        message.setBody(flow(provider).authorizationUrl(account));
    }

    public static void callback(Provider provider, Message message) {
        AuthorizationCodeFlow flow = flow(provider);
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String name : flow.callbackAttributes()) {
            String value = single(message, name);
            if (value != null && !value.isBlank()) {
                attributes.put(name, value);
            }
        }
        CallbackResult result = flow.callback(single(message, "code"), single(message, "state"),
                                              single(message, "error"), attributes);
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, result.status());
        message.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=UTF-8");
        // Camel's HTTP header filter drops Cache-Control on the way out; engines that keep it get it
        message.setHeader("Cache-Control", "no-store");
        // the page's URL holds the code: no Referer may carry it to anything the page links or loads
        message.setHeader("Referrer-Policy", "no-referrer");
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setBody(result.html());
    }

    /** A parameter given exactly once (RFC 6749 §3.1: never repeated); null otherwise. */
    private static String single(Message message, String name) {
        Object value = message.getHeader(name);
        if (value instanceof Collection<?> values) {
            value = values.size() == 1 ? values.iterator().next() : null;
        }
        return value == null ? null : value.toString();
    }
}
