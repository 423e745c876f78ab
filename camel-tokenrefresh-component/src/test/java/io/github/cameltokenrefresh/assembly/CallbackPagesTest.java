package io.github.cameltokenrefresh.assembly;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.crypto.spec.SecretKeySpec;

import io.github.cameltokenrefresh.internal.InvalidOptionException;
import io.github.cameltokenrefresh.internal.ProviderDefinition.Authorization;
import io.github.cameltokenrefresh.internal.authorize.CallbackResult;
import io.github.cameltokenrefresh.internal.authorize.CallbackResult.Outcome;
import io.github.cameltokenrefresh.internal.wire.UrlTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The callback's pages: the component's, a user's template and texts, per browser language, every value escaped. */
class CallbackPagesTest {

    private final DefaultCamelContext context = new DefaultCamelContext();

    @AfterEach
    void tearDown() {
        context.stop();
    }

    private CallbackPages pages(String displayName, String page, String messages) {
        return new CallbackPages(context, "acme", new Authorization(URI.create("https://auth.example/authorize"),
                URI.create("https://app.example/cb"), null, true, new SecretKeySpec(new byte[32], "HmacSHA256"),
                Duration.ofMinutes(10), UrlTemplate.parse("https://auth.example/authorize"), Map.of(), List.of(),
                displayName, page, messages));
    }

    @Test
    void theComponentsPageIsResponsiveEscapedAndCarriesItsNonce() {
        CallbackPages.Rendered page = pages("<Acme & Co>", null, null)
                .render(new CallbackResult(200, "shop", Outcome.CONNECTED, "account authorized"), null);
        assertTrue(page.html().contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
        assertTrue(page.html().contains("<h1>Connected</h1>"), page.html());
        assertTrue(page.html().contains("Your &lt;Acme &amp; Co&gt; account is now connected."), page.html());
        assertTrue(page.html().contains("<style nonce=\"" + page.cspNonce() + "\">"), page.html());
        assertTrue(page.contentSecurityPolicy().contains("style-src 'nonce-" + page.cspNonce() + "'"));
        assertFalse(page.html().contains("<script"), page.html());
        assertFalse(page.html().contains("account authorized"), "the operator's detail stays off the page");
        assertNotEquals(page.cspNonce(), pages(null, null, null).render(
                new CallbackResult(200, "shop", Outcome.CONNECTED, ""), null).cspNonce(), "a nonce per answer");
    }

    @Test
    void aUsersTemplateAndTextsReplaceTheComponentsAndALanguageFileWins() {
        CallbackPages pages = pages("Acme Mail", "classpath:brand/page.html", "classpath:brand/texts.properties");
        CallbackResult connected = new CallbackResult(200, "<b>shop</b>", Outcome.CONNECTED, "");
        String english = pages.render(connected, "en-GB,en;q=0.9").html();
        assertTrue(english.contains("<title>Brand | All set</title>"), english);
        assertTrue(english.contains("Your Acme Mail account is now connected."), "the component's text: " + english);
        assertTrue(english.contains("Acme Mail for &lt;b&gt;shop&lt;/b&gt;"), english);
        assertTrue(english.contains("<body class=\"connected\">"), english);
        String german = pages.render(connected, "de-CH, de;q=0.9").html();
        assertTrue(german.contains("<html lang=\"de\">"), german);
        assertTrue(german.contains("<h1>Verbunden</h1>") && german.contains("Ihr Acme Mail-Konto ist verbunden."), german);
        String denied = pages.render(new CallbackResult(400, "shop", Outcome.DENIED, ""), "de").html();
        assertTrue(denied.contains("<h1>Connection cancelled</h1>"), "a key the German file lacks: " + denied);
    }

    @Test
    void aValueThatLooksLikeSimpleIsNotEvaluated() {
        String html = pages("${sys.user.home}", null, null)
                .render(new CallbackResult(200, "${env.PATH}", Outcome.CONNECTED, ""), null).html();
        assertTrue(html.contains("Your &#36;{sys.user.home} account"), html);
        assertFalse(html.contains(System.getProperty("user.home") + " account"), html);
    }

    @Test
    void aMissingTemplateNamesItsOption() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> pages(null, "classpath:no/page.html", null));
        assertTrue(e.getMessage().contains("callbackPage") && e.getMessage().contains("classpath:no/page.html"),
                   e.getMessage());
    }

    @Test
    void theLanguageIsTheBrowsersFirstChoiceOrNone() {
        assertEquals("de", CallbackPages.language("de-CH,de;q=0.9,en;q=0.8"));
        assertEquals("fr", CallbackPages.language(" FR ; q=1"));
        assertEquals(null, CallbackPages.language("*"));
        assertEquals(null, CallbackPages.language("../../etc"));
        assertEquals(null, CallbackPages.language(null));
    }
}
