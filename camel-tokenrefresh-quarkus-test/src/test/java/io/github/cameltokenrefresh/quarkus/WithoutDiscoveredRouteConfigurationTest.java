package io.github.cameltokenrefresh.quarkus;

import java.util.List;
import java.util.Map;

import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * With the shipped route configuration excluded from route discovery (docs/quarkus.md), a 401 is the application's
 * to handle: the proof that the other test's recovery came from the discovered TokenRefreshRouteConfiguration.
 */
@QuarkusTest
@TestProfile(WithoutDiscoveredRouteConfigurationTest.ExcludeRouteConfiguration.class)
@QuarkusTestResource(TokenServerResource.class)
class WithoutDiscoveredRouteConfigurationTest {

    public static class ExcludeRouteConfiguration implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.camel.routes-discovery.exclude-patterns", "**/TokenRefreshRouteConfiguration");
        }
    }

    @Inject
    ProducerTemplate template;

    @Test
    void a401FailsTheExchange() {
        StrictTokenServer server = TokenServerResource.server;
        template.requestBody("direct:call", "", String.class);
        List<String> issued = server.issuedAccessTokens();
        server.revokeAccessToken(issued.get(issued.size() - 1));

        assertThrows(CamelExecutionException.class, () -> template.requestBody("direct:call", "", String.class));
        assertEquals(1, server.unauthorizedResourceCalls());
        assertEquals(1, server.successfulRefreshes(), "no refresh without the route configuration");
    }
}
