package io.github.cameltokenrefresh.catalog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;

import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.assembly.ProviderDefinitions;
import io.github.cameltokenrefresh.internal.ProviderDefinition;
import io.github.cameltokenrefresh.internal.call.CallRecord;
import io.github.cameltokenrefresh.internal.call.EndpointBackoff;
import io.github.cameltokenrefresh.internal.call.TokenCallRateLimit;
import io.github.cameltokenrefresh.internal.call.TokenEndpoint;
import io.github.cameltokenrefresh.internal.wire.ClientAuthenticator;
import io.github.cameltokenrefresh.internal.wire.RefreshTokenGrant;
import io.github.cameltokenrefresh.token.Token;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every preset of the shipped catalog makes one refresh, without a socket, against the token endpoint of its quirk
 * class ({@link VendorTokenEndpoints}): the vendors' documented rules, so a wrong entry fails here.
 */
class CatalogPresetsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    static Stream<String> presets() {
        return ProviderCatalog.shipped().entries().stream().map(CatalogEntry::name);
    }

    private static Token refresh(String preset) {
        TokenRefreshConfiguration config = new TokenRefreshConfiguration();
        config.setPreset(preset);
        config.setClientId(VendorTokenEndpoints.CLIENT_ID);
        config.setClientSecret(VendorTokenEndpoints.CLIENT_SECRET);
        if (ProviderCatalog.shipped().entry(preset).tokenUrl() == null) {
            config.setTokenUrl("https://auth.example.com/token");
        }
        ProviderDefinition definition = ProviderDefinitions.read("p", config);
        TokenEndpoint endpoint = new TokenEndpoint("p", definition.dialect(),
                ClientAuthenticator.of(definition.dialect().clientAuthentication(), definition.credentials()),
                VendorTokenEndpoints.of(preset, definition.dialect().tokenUrl()), definition.defaultExpiresIn(),
                Clock.fixed(NOW, ZoneOffset.UTC), TokenCallRateLimit.NONE, new EndpointBackoff(definition.policy()));
        return endpoint.call("acct", VendorTokenEndpoints.SAMPLE_ATTRIBUTES,
                             RefreshTokenGrant.stored(VendorTokenEndpoints.REFRESH_TOKEN), false, true, new CallRecord());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void eachPresetRefreshesAgainstItsClass(String preset) {
        Token token = refresh(preset);

        assertNotNull(token.getAccessToken());
        assertTrue(token.getExpiresAt().isAfter(NOW), "a lifetime, from the answer or the preset's default");
    }

    @Test
    void theCatalogHoldsFortyProvidersEachWithADatedSource() {
        assertTrue(ProviderCatalog.shipped().entries().size() >= 40, "" + ProviderCatalog.shipped().entries().size());
        for (CatalogEntry entry : ProviderCatalog.shipped().entries()) {
            assertFalse(entry.sources().isEmpty(), entry.name() + " names no source");
        }
    }

    @Test
    void salesforceLivesTheDefaultLifetimeAndKeepsItsInstance() {
        Token token = refresh("salesforce");
        assertEquals(NOW.plus(Duration.ofHours(1)), token.getExpiresAt());
        assertEquals(Map.of("instanceUrl", "https://acme.my.salesforce.com"), token.getAttributes());
        assertEquals(VendorTokenEndpoints.REFRESH_TOKEN, token.getRefreshToken(), "no new one: the old one is kept");
    }

    @Test
    void quickbooksAndGithubReportTheRefreshTokensEnd() {
        assertEquals(NOW.plusSeconds(8_726_400), refresh("quickbooks").getRefreshTokenExpiresAt());
        assertEquals(NOW.plusSeconds(15_811_200), refresh("github-app").getRefreshTokenExpiresAt());
    }

    @Test
    void slackUsersTokenIsTheNestedOne() {
        Token token = refresh("slack-user");
        assertEquals("xoxe.xoxp-user", token.getAccessToken());
        assertEquals("xoxe-1-user", token.getRefreshToken());
        assertEquals(NOW.plusSeconds(3600), token.getExpiresAt());
        assertEquals("U1", token.getAttribute("userId"));
    }

    @Test
    void zohoKeepsItsApiDomain() {
        assertEquals("https://www.zohoapis.eu", refresh("zoho").getAttribute("apiDomain"));
    }
}
