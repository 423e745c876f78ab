package io.github.cameltokenrefresh.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.github.cameltokenrefresh.testing.StrictTokenServer.RecordedRequest;

/**
 * What a {@link StrictTokenServer} expects of its client beyond the dialect's fixed wire format: the client's
 * credentials (id and secret, Newsletter2Go's auth key, the partner id), the grant types it accepts, and the extra
 * parameters and headers a test allows or requires. Volatile, so a test may change them while the server runs.
 */
final class RequestExpectations {

    private volatile String clientId = "test-client";
    private volatile String clientSecret = "test-secret";
    private volatile boolean clientAuthInBody;
    private volatile String authKey = Base64.getEncoder()
            .encodeToString("test-client:test-secret".getBytes(StandardCharsets.UTF_8));
    private volatile int partnerId = 4711;
    private volatile Set<String> acceptedGrantTypes;
    private volatile Set<String> extraParameters = Set.of();
    private volatile Map<String, String> requiredHeaders = Map.of();

    RequestExpectations(Set<String> acceptedGrantTypes) {
        this.acceptedGrantTypes = Set.copyOf(acceptedGrantTypes);
    }

    void clientCredentials(String clientId, String clientSecret) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
    }

    String clientId() {
        return clientId;
    }

    String clientSecret() {
        return clientSecret;
    }

    void clientAuthInBody(boolean inBody) {
        this.clientAuthInBody = inBody;
    }

    boolean clientAuthInBody() {
        return clientAuthInBody;
    }

    void authKey(String base64AuthKey) {
        this.authKey = Objects.requireNonNull(base64AuthKey, "base64AuthKey");
    }

    String authKey() {
        return authKey;
    }

    void partnerId(int partnerId) {
        this.partnerId = partnerId;
    }

    int partnerId() {
        return partnerId;
    }

    void acceptGrantTypes(String... grantTypes) {
        if (grantTypes.length == 0) {
            throw new IllegalArgumentException("at least one grant type");
        }
        this.acceptedGrantTypes = Set.of(grantTypes);
    }

    void allowExtraParameters(String... names) {
        Set<String> merged = new LinkedHashSet<>(extraParameters);
        merged.addAll(List.of(names));
        this.extraParameters = Set.copyOf(merged);
    }

    void requireHeader(String name, String value) {
        Map<String, String> merged = new LinkedHashMap<>(requiredHeaders);
        merged.put(name.toLowerCase(Locale.ROOT), Objects.requireNonNull(value, "value"));
        this.requiredHeaders = Map.copyOf(merged);
    }

    /** Each required header exactly once, with exactly its value. */
    void checkRequiredHeaders(RecordedRequest request) throws TokenRequestRejected {
        for (Map.Entry<String, String> required : requiredHeaders.entrySet()) {
            List<String> values = request.headers().getOrDefault(required.getKey(), List.of());
            if (values.size() != 1 || !required.getValue().equals(values.get(0))) {
                throw TokenRequestRejected.invalidRequest("header " + required.getKey() + " was "
                                                          + (values.isEmpty() ? "missing" : values) + ", expected "
                                                          + required.getValue());
            }
        }
    }

    /** One accepted grant type; {@code what} names where it was sent (a field or a header). */
    void checkGrantType(String what, List<String> sent) throws TokenRequestRejected {
        Set<String> accepted = acceptedGrantTypes;
        if (sent.size() != 1 || !accepted.contains(sent.get(0))) {
            throw TokenRequestRejected.unsupportedGrantType(what, sent, accepted);
        }
    }

    /** Nothing beyond the dialect's own fields and the extra parameters the test allowed. */
    void checkUnexpected(String what, Set<String> present, Set<String> allowed) throws TokenRequestRejected {
        Set<String> unexpected = new TreeSet<>(present);
        unexpected.removeAll(allowed);
        unexpected.removeAll(extraParameters);
        if (!unexpected.isEmpty()) {
            throw TokenRequestRejected.invalidRequest("unexpected " + what + (unexpected.size() > 1 ? "s " : " ")
                                                      + unexpected + ", expected only " + allowed);
        }
    }
}
