package io.github.cameltokenrefresh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * preset names an entry of the provider catalog; providerCatalog adds a file of the user's: a wrong entry fails at
 * route start naming the option, the entry and the field; a user's entry wins over the shipped one.
 */
class ProviderCatalogOptionTest extends ConfigurationFailures {

    private Path catalog(String json) throws Exception {
        Path file = storeDir.resolve("catalog.json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void anUnknownPresetFailsNamingTheOption() {
        Throwable failure = failsToStart(false, "tokenrefresh:x?preset=salesfarce&clientId=c" + SECRET_OPTIONS);
        assertMessageNames(failure, List.of("tokenrefresh:x", "preset", "salesfarce", "docs/providers.md"));
        assertNoSecrets(failure);
    }

    @Test
    void aBadEntryFailsNamingTheCatalogTheEntryAndTheField() throws Exception {
        Path file = catalog("{\"providers\": {\"acme\": {\"tokenUrl\": \"https://auth.acme.example/token\","
                            + " \"clientAuthentication\": \"mutualTls\"}}}");
        Throwable failure = failsToStart(false, "tokenrefresh:x?preset=acme&providerCatalog=file:" + file + "&clientId=c"
                                                + SECRET_OPTIONS);
        assertMessageNames(failure, List.of("tokenrefresh:x", "providerCatalog", "entry 'acme'",
                                            "field 'clientAuthentication'", "mutualTls"));
    }

    @Test
    void aTemplateWithABrokenPlaceholderFailsNamingTheField() throws Exception {
        Path file = catalog("{\"providers\": {\"acme\": {\"tokenUrl\": \"https://{tenant/token\"}}}");
        Throwable failure = failsToStart(false, "tokenrefresh:x?preset=acme&providerCatalog=file:" + file + "&clientId=c"
                                                + SECRET_OPTIONS);
        assertMessageNames(failure, List.of("providerCatalog", "entry 'acme'", "field 'tokenUrl'", "position 8"));
    }

    @Test
    void aMissingCatalogFileFailsNamingIt() {
        Throwable failure = failsToStart(false, "tokenrefresh:x?preset=acme&providerCatalog=file:/nonexistent/c.json"
                                                + "&clientId=c" + SECRET_OPTIONS);
        assertMessageNames(failure, List.of("providerCatalog", "/nonexistent/c.json", "no such file"));
    }

    @Test
    void aUserEntryOverridesTheShippedOneFieldByFieldAndAddsNewOnes() throws Exception {
        Path file = catalog("{\"providers\": {"
                            + "\"salesforce\": {\"tokenUrl\": \"https://acme.my.salesforce.com/services/oauth2/token\"},"
                            + "\"acme\": {\"tokenUrl\": \"https://auth.acme.example/token\", \"encoding\": \"json\"}}}");
        var salesforce = io.github.cameltokenrefresh.assembly.ProviderDefinitions.read("sf", config("salesforce", file));
        var acme = io.github.cameltokenrefresh.assembly.ProviderDefinitions.read("acme", config("acme", file));

        assertEquals("https://acme.my.salesforce.com/services/oauth2/token", salesforce.dialect().tokenUrl().toString());
        assertEquals(io.github.cameltokenrefresh.dialect.ClientAuthentication.post,
                     salesforce.dialect().clientAuthentication(), "the fields not overridden stay the shipped ones");
        assertEquals(java.util.Map.of("instanceUrl", "instance_url"), salesforce.dialect().responseFields().attributes());
        assertEquals(io.github.cameltokenrefresh.dialect.BodyEncoding.json, acme.dialect().encoding());
    }

    private static TokenRefreshConfiguration config(String preset, Path catalog) {
        TokenRefreshConfiguration config = new TokenRefreshConfiguration();
        config.setPreset(preset);
        config.setProviderCatalog("file:" + catalog);
        config.setClientId("c");
        config.setClientSecret("s");
        return config;
    }
}
