package io.github.cameltokenrefresh.springboot;

import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A key under camel.component.tokenrefresh.providers.NAME that is no provider option fails the start, naming the key
 * and the nearest option: Spring Boot's binder alone would skip it (a misspelled store once cost an account).
 */
class UnknownProviderKeysTest {

    private static final String P = "camel.component.tokenrefresh.providers.";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CamelAutoConfiguration.class,
                                                     TokenRefreshComponentAutoConfiguration.class));

    @Test
    void aMisspelledStoreFailsTheStartNamingTheKeyAndTheOption() {
        runner.withPropertyValues(P + "api.token-url=https://api.example/token", P + "api.stor=#bean:sharedStore")
                .run(context -> assertThat(failure(context))
                        .contains(P + "api.stor is not an option of a provider; did you mean " + P + "api.store?"));
    }

    @Test
    void everyUnknownKeyIsNamedWithItsNearestOption() {
        runner.withPropertyValues(P + "api.tokenUrll=https://api.example/token", P + "api.insecure-htp=true",
                                  P + "crm.client-secrt=do-not-show-5c2a")
                .run(context -> assertThat(failure(context))
                        .contains(P + "api.tokenurll is not an option of a provider; did you mean " + P
                                  + "api.token-url?")
                        .contains(P + "api.insecure-htp is not an option of a provider; did you mean " + P
                                  + "api.insecure-http?")
                        .contains(P + "crm.client-secrt is not an option of a provider; did you mean " + P
                                  + "crm.client-secret?")
                        .doesNotContain("do-not-show-5c2a"));
    }

    @Test
    void aKeyBelowAPlainOptionIsUnknown() {
        // TOKEN_URL in an environment variable reads as token.url, which the binder skips as well
        runner.withPropertyValues(P + "api.token.url=https://api.example/token")
                .run(context -> assertThat(failure(context))
                        .contains(P + "api.token.url is not an option of a provider; did you mean " + P
                                  + "api.token-url?"));
    }

    @Test
    void relaxedNamesAndMapEntriesAreKnown() {
        runner.withPropertyValues(P + "api.tokenUrl=https://api.example/token", P + "api.insecure_http=false",
                                  P + "api.headers.partnerId=42", P + "api.http-options.proxyAuthHost=proxy",
                                  P + "[myApi].refresh-window=3m")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TokenRefreshConfiguration api = context.getBean(CamelContext.class).getRegistry()
                            .lookupByNameAndType("api", TokenRefreshConfiguration.class);
                    assertThat(api.getTokenUrl()).isEqualTo("https://api.example/token");
                    assertThat(api.getHeaders()).containsEntry("partnerId", "42");
                });
    }

    @Test
    void switchedOffTheStarterChecksNothing() {
        runner.withPropertyValues("camel.component.tokenrefresh.enabled=false", P + "api.stor=x")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void theNearestOptionIsTheOneFewestEditsAway() {
        assertEquals("store", UnknownProviderKeys.nearest("stor"));
        assertEquals("store-directory", UnknownProviderKeys.nearest("store-directry"));
        assertEquals("refresh-window", UnknownProviderKeys.nearest("refreshWindw"));
        assertEquals(3, UnknownProviderKeys.distance("kitten", "sitting"));
        assertEquals(0, UnknownProviderKeys.distance("store", "store"));
    }

    private static String failure(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        StringBuilder messages = new StringBuilder();
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
