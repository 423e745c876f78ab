package io.github.cameltokenrefresh;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.github.cameltokenrefresh.SendTimeDecorationIT.Recorder;
import io.github.cameltokenrefresh.store.MemoryTokenStore;
import io.github.cameltokenrefresh.token.Token;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code apiBase={instance_url}/data}: two accounts whose token answers named two different API hosts (as Salesforce's
 * instance_url does), kept with their records. Each account's calls are decorated at its own host only, never at the
 * other account's.
 */
class PerAccountApiBaseIT extends TokenServerTestSupport {

    @Test
    void eachAccountsTokenGoesToTheHostItsTokenAnswerNamed() throws Exception {
        try (Recorder east = new Recorder(null); Recorder west = new Recorder(null)) {
            String eastUrl = "http://127.0.0.1:" + east.port();
            String westUrl = "http://localhost:" + west.port();
            MemoryTokenStore store = new MemoryTokenStore();
            store.save("crm", "east", token("at-east", eastUrl), 0);
            store.save("crm", "west", token("at-west", westUrl), 0);

            context = TestContexts.context(storeDir);
            TokenRefreshConfiguration crm = new TokenRefreshConfiguration();
            crm.setTokenUrl("http://127.0.0.1:9/token"); // never called: both tokens are fresh
            crm.setClientId("c");
            crm.setClientSecret("s");
            crm.setInsecureHttp(true);
            crm.setStore(store);
            crm.setApiBase("{instance_url}/data");
            context.getRegistry().bind("crm", crm);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:call").to(eastUrl + "/data/query").to(westUrl + "/data/query");
                }
            });
            context.start();

            for (String account : new String[] { "east", "west" }) {
                Exchange result = context.createProducerTemplate().request("direct:call",
                        e -> e.getMessage().setHeader(TokenRefreshConstants.ACCOUNT, account));
                assertNull(result.getException());
            }
            assertEquals("Bearer at-east", east.authorization.get(0), "east's call at its own host");
            assertNull(west.authorization.get(0), "east's call at west's host: nothing");
            assertNull(east.authorization.get(1), "west's call at east's host: nothing");
            assertEquals("Bearer at-west", west.authorization.get(1), "west's call at its own host");
        }
    }

    private static Token token(String accessToken, String instanceUrl) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return Token.builder().accessToken(accessToken).refreshToken("rt-" + accessToken).issuedAt(now)
                .expiresAt(now.plusSeconds(3600)).additionalField("instance_url", instanceUrl).build();
    }
}
