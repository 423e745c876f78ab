package io.github.cameltokenrefresh.testing;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cameltokenrefresh.testing.DialectWireFormat.Grant;
import io.github.cameltokenrefresh.testing.RotatingTokenIssuer.Outcome;
import io.github.cameltokenrefresh.testing.ScriptedTokenFailures.Failure;
import io.github.cameltokenrefresh.testing.StrictTokenServer.RecordedRequest;

/**
 * The token path of a {@link StrictTokenServer}: counts each call and how many overlap, lets the test pace it, checks
 * it against the dialect's wire format and the test's expectations, then answers the issued tokens in the dialect's
 * shape, or a scripted failure, or an RFC 6749 §5.2 error.
 */
final class TokenEndpoint implements TokenServerHttpShell.Endpoint {

    // Plain BigDecimal output keeps AWeber's expires_at a float like 1764007200.000, never 1.7640072E+9.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private final DialectWireFormat wireFormat;
    private final RequestExpectations expected;
    private final RotatingTokenIssuer issuer;
    private final TokenCallPacing pacing;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    TokenEndpoint(DialectWireFormat wireFormat, RequestExpectations expected, RotatingTokenIssuer issuer,
                  TokenCallPacing pacing) {
        this.wireFormat = wireFormat;
        this.expected = expected;
        this.issuer = issuer;
        this.pacing = pacing;
    }

    @Override
    public HttpAnswer answer(RecordedRequest request) throws IOException {
        calls.incrementAndGet();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            pacing.pace(request);
            return answerChecked(request);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private HttpAnswer answerChecked(RecordedRequest request) throws IOException {
        try {
            if (!"POST".equals(request.method())) {
                throw new TokenRequestRejected(405, "invalid_request", "method was " + request.method()
                                                                       + ", expected POST").header("Allow", "POST");
            }
            expected.checkRequiredHeaders(request);
            Grant grant = wireFormat.read(request);
            Outcome outcome = issuer.refresh(grant, wireFormat::invalidGrantDescription);
            Failure failure = outcome.failure();
            if (failure != null) {
                return HttpAnswer.of(failure.status(), null, failure.body(), failure.headers());
            }
            return HttpAnswer.of(200, HttpAnswer.JSON, MAPPER.writeValueAsString(wireFormat.answer(outcome.tokens())),
                                 Map.of("Cache-Control", "no-store", "Pragma", "no-cache"));
        } catch (TokenRequestRejected rejected) {
            return HttpAnswer.rejected(rejected);
        }
    }

    /** All requests to the token path, accepted or not. */
    int calls() {
        return calls.get();
    }

    /** The most token calls answered at one moment. */
    int maxInFlight() {
        return maxInFlight.get();
    }
}
