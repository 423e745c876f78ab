package io.github.cameltokenrefresh.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cameltokenrefresh.testing.StrictTokenServer.RecordedRequest;

/**
 * One dialect's token call as its document describes it: which requests are well formed, and the shape of the
 * answer. A {@link StrictTokenServer} holds the one its {@link StrictTokenServer.Dialect} names.
 */
interface DialectWireFormat {

    /** The parameters of a request that passed the wire-format checks. */
    record Grant(String refreshToken, String scope) {
    }

    /** The grant of a well-formed request; any deviation from the document is refused. */
    Grant read(RecordedRequest request) throws TokenRequestRejected;

    /** The success body in the shape the document shows. */
    ObjectNode answer(IssuedTokens tokens);

    /** A success body that starts, as every dialect's does, with the access token. */
    static ObjectNode bodyWithAccessToken(IssuedTokens tokens) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("access_token", tokens.accessToken());
        return body;
    }

    /** The error_description of invalid_grant; a document that words it gets its own text. */
    default String invalidGrantDescription(String reason) {
        return reason;
    }
}
