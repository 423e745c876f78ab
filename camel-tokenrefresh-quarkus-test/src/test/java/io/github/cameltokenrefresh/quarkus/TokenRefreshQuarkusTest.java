package io.github.cameltokenrefresh.quarkus;

import java.util.List;

import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The component in a Camel Quarkus application (JVM mode): configured by application.properties, it refreshes against
 * the strict token server and decorates the HTTP call; a 401 is recovered by the route configuration the jar ships,
 * which nobody added: Camel Quarkus's route discovery finds TokenRefreshRouteConfiguration in the jar's Jandex index
 * and applies it to every route ({@link WithoutDiscoveredRouteConfigurationTest} switches that off).
 */
@QuarkusTest
@QuarkusTestResource(TokenServerResource.class)
class TokenRefreshQuarkusTest {

    @Inject
    ProducerTemplate template;

    @Test
    void refreshesDecoratesAndRecoversA401() {
        StrictTokenServer server = TokenServerResource.server;
        template.requestBody("direct:call", "", String.class); // fails unless the API accepted the token
        assertEquals(1, server.successfulRefreshes());
        assertEquals(0, server.unauthorizedResourceCalls());

        List<String> issued = server.issuedAccessTokens();
        server.revokeAccessToken(issued.get(issued.size() - 1));
        template.requestBody("direct:call", "", String.class);

        assertEquals(1, server.unauthorizedResourceCalls(), "the revoked token got one 401");
        assertEquals(2, server.successfulRefreshes(), "one refresh for the 401");
    }
}
