package io.github.cameltokenrefresh.route;

import io.github.cameltokenrefresh.token.Token;

/**
 * How a token travels on one HTTP request: the header(s) it computes from the request's method and URL and the token.
 * A bearer token ignores both ({@link BearerPresentation}); a proof-of-possession scheme (DPoP, RFC 9449) signs them,
 * so it is asked again for every request, the redelivery after a 401 included.
 */
public interface TokenPresentation {

    /** Where the headers go: the request about to be sent. */
    interface Headers {

        void set(String name, String value);
    }

    /** Puts the token's header(s) for a {@code method} request to {@code url} on {@code headers}. */
    void present(String method, String url, Token token, Headers headers);

    /** The name of the header that carries the access token itself (how a 401 finds the account again). */
    String tokenHeader();
}
