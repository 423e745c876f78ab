package io.github.cameltokenrefresh.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.github.cameltokenrefresh.testing.StrictTokenServer.RecordedRequest;

import static io.github.cameltokenrefresh.testing.TokenRequestRejected.invalidClient;
import static io.github.cameltokenrefresh.testing.TokenRequestRejected.invalidRequest;

/**
 * RFC 6749 §2.3.1 client authentication as the form dialects (OAUTH2, AWEBER) check it: HTTP Basic with the id and
 * secret form-urlencoded before Base64, or, when the test asks for it, client_id and client_secret form fields; never
 * both at once.
 */
final class FormClientAuthentication {

    private FormClientAuthentication() {
    }

    static void check(RecordedRequest request, Map<String, String> params, RequestExpectations expected)
            throws TokenRequestRejected {
        List<String> auth = request.headers().getOrDefault("authorization", List.of());
        boolean secretInBody = params.containsKey("client_secret");
        if (expected.clientAuthInBody()) {
            checkInBody(auth, params, secretInBody, expected);
            return;
        }
        if (auth.isEmpty()) {
            throw invalidClient(secretInBody
                    ? "Authorization header missing (client credentials were in the body, expected Basic)"
                    : "Authorization header missing, expected Basic client credentials");
        }
        if (secretInBody) {
            throw twoMethods();
        }
        if (auth.size() > 1) {
            throw invalidRequest("Authorization header sent " + auth.size() + " times");
        }
        checkBasic(auth.get(0), expected);
    }

    private static void checkInBody(List<String> auth, Map<String, String> params, boolean secretInBody,
                                    RequestExpectations expected) throws TokenRequestRejected {
        if (!auth.isEmpty()) {
            if (secretInBody) {
                throw twoMethods();
            }
            throw invalidClient("Authorization header present, expected client_id and client_secret form fields");
        }
        if (!params.containsKey("client_id") || !secretInBody) {
            throw invalidClient("form fields client_id and client_secret missing");
        }
        if (!expected.clientId().equals(params.get("client_id"))
            || !expected.clientSecret().equals(params.get("client_secret"))) {
            throw invalidClient("form fields client_id/client_secret did not match the configured client");
        }
    }

    private static void checkBasic(String value, RequestExpectations expected) throws TokenRequestRejected {
        if (!value.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw invalidClient("Authorization scheme was " + WireChecks.scheme(value) + ", expected Basic");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalidClient("Basic credentials were not valid Base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw invalidClient("Basic credentials had no ':' between client id and secret");
        }
        // RFC 6749 §2.3.1: id and secret are form-urlencoded before Base64; decoding catches a client that skipped it
        String id;
        String secret;
        try {
            id = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalidClient("Basic credentials were not form-urlencoded as RFC 6749 §2.3.1 asks");
        }
        if (!expected.clientId().equals(id) || !expected.clientSecret().equals(secret)) {
            throw invalidClient("Basic credentials did not match the configured client (id and secret must be "
                                + "form-urlencoded before Base64, RFC 6749 §2.3.1)");
        }
    }

    private static TokenRequestRejected twoMethods() {
        return invalidRequest("more than one client authentication method (Authorization header and client_secret "
                              + "form field)");
    }
}
