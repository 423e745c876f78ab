package io.github.cameltokenrefresh;

import java.util.function.Predicate;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A provider bean in Camel Main properties ({@code camel.beans.NAME=#class:...TokenRefreshConfiguration}) with an
 * option it does not have: Camel Main itself fails the start naming the property, so a misspelled {@code stor} cannot
 * leave the provider on a store of its own. (The Spring Boot starter needs its own check: UnknownProviderKeys.)
 */
class CamelMainUnknownBeanOptionTest {

    private Main main;

    @AfterEach
    void stop() {
        if (main != null) {
            main.stop();
        }
    }

    @Test
    void anUnknownOptionOnAProviderBeanFailsTheStartNamingIt() {
        main = new Main();
        main.addInitialProperty("camel.beans.api", "#class:io.github.cameltokenrefresh.TokenRefreshConfiguration");
        main.addInitialProperty("camel.beans.api.tokenUrl", "https://api.example/token");
        main.addInitialProperty("camel.beans.api.stor", "#bean:sharedStore");
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to("tokenrefresh:api");
            }
        });

        Exception e = assertThrows(Exception.class, () -> main.start());

        assertTrue(anyMessage(e, m -> m.contains("camel.beans.api.stor")), () -> "names the property: " + e);
    }

    @Test
    void anUnknownKebabCaseOptionFailsTheStartToo() {
        main = new Main();
        main.addInitialProperty("camel.beans.api", "#class:io.github.cameltokenrefresh.TokenRefreshConfiguration");
        main.addInitialProperty("camel.beans.api.token-url", "https://api.example/token");
        main.addInitialProperty("camel.beans.api.store-dir", "/tmp/elsewhere");
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to("tokenrefresh:api");
            }
        });

        Exception e = assertThrows(Exception.class, () -> main.start());

        // Camel names it in camel case
        assertTrue(anyMessage(e, m -> m.contains("camel.beans.api.storeDir")), () -> "names the property: " + e);
    }

    private static boolean anyMessage(Throwable e, Predicate<String> test) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && test.test(t.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
