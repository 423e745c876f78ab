package io.github.cameltokenrefresh.assembly;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.cameltokenrefresh.internal.InvalidOption;
import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.internal.authorize.AuthorizationCodeFlow;
import io.github.cameltokenrefresh.internal.authorize.CallbackResult;
import org.apache.camel.CamelContext;
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

    /**
     * The callback route listens at {@code path} (the template's parameter): the provider redirects to redirectUri, so
     * both must name the same path, or every consent ends on a 404.
     */
    public static void checkCallbackPath(Provider provider, String path) {
        String expected = flow(provider).settings().redirectUri().getPath();
        expected = expected == null || expected.isEmpty() ? "/" : expected;
        if (path != null && !path.isBlank() && !expected.equals(path.trim())) {
            throw InvalidOption.of(provider.name(), "redirectUri", "has the path " + expected + " but the callback route"
                                   + " listens at " + path.trim() + " (the route template's path parameter, the"
                                   + " endpoint's callbackPath): the provider's redirect would not reach it; leave path"
                                   + " unset to take it from redirectUri, or make them the same");
        }
    }

    public static void authorizationUrl(Provider provider, Message message, String account) {
        message.setBody(flow(provider).authorizationUrl(account));
    }

    /** The pages of the provider's callback; a template or texts resource that does not exist fails here. */
    public static CallbackPages pages(Provider provider, CamelContext context) {
        return new CallbackPages(context, provider.name(), flow(provider).settings());
    }

    /**
     * Answers the provider's redirect; the callback parameters the provider names become account attributes.
     *
     * @param pages what {@link #pages} made for this provider
     */
    public static void callback(Provider provider, Message message, CallbackPages pages) {
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
        CallbackPages.Rendered page = pages.render(result, single(message, "Accept-Language"));
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, result.status());
        message.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=UTF-8");
        // the page follows a link that held a code: never kept by a browser or a proxy (the template's header filter,
        // CallbackHeaderFilterStrategy, lets it out; Camel's default HTTP filter drops it)
        message.setHeader("Cache-Control", "no-store");
        message.setHeader("Content-Security-Policy", page.contentSecurityPolicy());
        // the page's URL holds the code: no Referer may carry it to anything the page links or loads
        message.setHeader("Referrer-Policy", "no-referrer");
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setBody(page.html());
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
