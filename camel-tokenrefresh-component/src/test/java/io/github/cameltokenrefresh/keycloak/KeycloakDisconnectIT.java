package io.github.cameltokenrefresh.keycloak;

import java.nio.file.Path;
import java.time.Duration;

import io.github.cameltokenrefresh.TestContexts;
import io.github.cameltokenrefresh.TokenRefreshConstants;
import io.github.cameltokenrefresh.store.file.FileTokenStore;
import io.github.cameltokenrefresh.testing.keycloak.KeycloakExtension;
import io.github.cameltokenrefresh.testing.keycloak.KeycloakRealm;
import io.github.cameltokenrefresh.testing.keycloak.KeycloakServer;
import io.github.cameltokenrefresh.testing.keycloak.RealmBuilder;
import io.github.cameltokenrefresh.token.AccountDisconnectedException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operation disconnect against Keycloak (RFC 7009): the refresh token is revoked at the realm's revocation endpoint
 * (Keycloak refuses it afterwards and ends the session, so even the access token stops working), the record is
 * deleted, this context and a second one sharing the store (a replica) refuse tokens, and onboarding brings it back.
 */
@ExtendWith(KeycloakExtension.class)
class KeycloakDisconnectIT {

    private static final String SECRET = "disconnect-secret-4711";

    @TempDir
    Path storeDir;

    private DefaultCamelContext first;
    private DefaultCamelContext replica;

    @AfterEach
    void stop() {
        for (DefaultCamelContext context : new DefaultCamelContext[] { first, replica }) {
            if (context != null) {
                context.stop();
            }
        }
    }

    private DefaultCamelContext context(String uri) throws Exception {
        DefaultCamelContext context = TestContexts.context(storeDir);
        TestContexts.addRoute(context, "direct:call", uri);
        TestContexts.addRoute(context, "direct:refresh", uri + "&operation=refresh");
        TestContexts.addRoute(context, "direct:disconnect", uri + "&operation=disconnect");
        context.start();
        return context;
    }

    @Test
    void disconnectRevokesAtKeycloakDeletesTheRecordAndEveryReplicaRefuses(KeycloakServer keycloak) throws Exception {
        KeycloakRealm realm = RealmBuilder.named("disconnect").rotation().accessTokenLifespan(Duration.ofMinutes(5))
                .confidentialClient("app", SECRET).user("bob", "bob-pw").create(keycloak);
        String uri = "tokenrefresh:keycloak?tokenUrl=" + realm.tokenUrl() + "&revocationUrl=" + realm.revocationUrl()
                     + "&clientId=app&clientSecret=RAW(" + SECRET + ")&refreshToken=RAW("
                     + realm.passwordGrant("app", SECRET, "bob", "bob-pw").path("refresh_token").asText() + ")";
        first = context(uri);
        replica = context(uri);
        ProducerTemplate a = first.createProducerTemplate();
        ProducerTemplate b = replica.createProducerTemplate();

        String accessToken = bearer(a.request("direct:call", e -> {
        }));
        assertEquals(accessToken, bearer(b.request("direct:call", e -> {
        })), "the replica serves the token the first context saved");
        String refreshToken = new FileTokenStore(storeDir).load("keycloak", "default").token().getRefreshToken();
        assertTrue(realm.acceptsAccessToken(accessToken));

        Exchange disconnected = a.request("direct:disconnect", e -> {
        });
        assertNull(disconnected.getException());
        assertEquals("revoked", disconnected.getMessage().getBody(String.class));
        assertEquals(Boolean.TRUE, disconnected.getMessage().getHeader(TokenRefreshConstants.REVOKED));

        assertEquals("invalid_grant", realm.refresh("app", SECRET, refreshToken).path("error").asText(),
                     "Keycloak refuses the revoked refresh token");
        assertFalse(realm.acceptsAccessToken(accessToken), "revoking the refresh token ended Keycloak's session");
        assertNull(new FileTokenStore(storeDir).load("keycloak", "default"), "the record is deleted");
        assertInstanceOf(AccountDisconnectedException.class, failure(a, "direct:call"));
        // the replica still holds the access token in memory; its next refresh finds the record gone
        assertInstanceOf(AccountDisconnectedException.class, failure(b, "direct:refresh"));
        assertInstanceOf(AccountDisconnectedException.class, failure(b, "direct:call"));

        String onboarded = realm.passwordGrant("app", SECRET, "bob", "bob-pw").path("refresh_token").asText();
        a.request("direct:refresh", e -> e.getMessage().setHeader(TokenRefreshConstants.REFRESH_TOKEN, onboarded));
        assertTrue(realm.acceptsAccessToken(bearer(a.request("direct:call", e -> {
        }))), "onboarded again: tokens flow");
        assertTrue(realm.acceptsAccessToken(bearer(b.request("direct:call", e -> {
        }))), "and the replica takes the new record");
    }

    private static String bearer(Exchange exchange) {
        if (exchange.getException() != null) {
            throw new AssertionError(exchange.getException());
        }
        return exchange.getMessage().getHeader("Authorization", String.class).substring("Bearer ".length());
    }

    private static Throwable failure(ProducerTemplate template, String uri) {
        return assertThrows(CamelExecutionException.class, () -> template.requestBody(uri, "")).getCause();
    }
}
