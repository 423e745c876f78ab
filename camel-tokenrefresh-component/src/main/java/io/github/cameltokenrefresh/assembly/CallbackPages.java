package io.github.cameltokenrefresh.assembly;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import io.github.cameltokenrefresh.internal.InvalidOption;
import io.github.cameltokenrefresh.internal.ProviderDefinition.Authorization;
import io.github.cameltokenrefresh.internal.authorize.CallbackResult;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.ResourceHelper;

/**
 * The pages of one provider's authorization callback: a template (the component's, or the user's {@code callbackPage})
 * evaluated with Camel's Simple language, and texts from properties (the component's, overridden by the user's
 * {@code callbackMessages}, per browser language). Every value put into the page is HTML-escaped; the style is allowed
 * by a per-response CSP nonce, and the page runs no script.
 */
public final class CallbackPages {

    static final String DEFAULT_PAGE = "tokenrefresh/callback-page.html";
    static final String DEFAULT_MESSAGES = "tokenrefresh/callback-messages.properties";
    /** Languages a browser may ask for are remembered up to this many (a request chooses the header). */
    private static final int MAX_LANGUAGES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CamelContext context;
    private final String displayName;
    private final Expression page;
    private final String userMessages;
    private final Properties messages;
    private final Map<String, Properties> byLanguage = new ConcurrentHashMap<>();

    /** A rendered page and the nonce its CSP must allow. */
    record Rendered(String html, String cspNonce) {

        String contentSecurityPolicy() {
            return "default-src 'none'; style-src 'nonce-" + cspNonce + "'; img-src 'self' data:; base-uri 'none';"
                   + " form-action 'none'; frame-ancestors 'none'";
        }
    }

    /** Reads the template and texts now: a missing resource fails at route start naming its option. */
    CallbackPages(CamelContext context, String provider, Authorization settings) {
        this.context = context;
        this.displayName = settings.providerDisplayName() != null ? settings.providerDisplayName() : provider;
        String template = settings.callbackPage() == null
                ? own(DEFAULT_PAGE)
                : user(provider, "callbackPage", settings.callbackPage());
        this.page = context.resolveLanguage("simple").createExpression(template);
        this.page.init(context);
        this.userMessages = settings.callbackMessages();
        Properties base = properties(own(DEFAULT_MESSAGES), new Properties());
        this.messages = userMessages == null ? base
                : properties(user(provider, "callbackMessages", userMessages), base);
    }

    Rendered render(CallbackResult result, String acceptLanguage) {
        Properties texts = texts(language(acceptLanguage));
        String key = result.outcome().key();
        String account = result.account() == null ? "" : result.account();
        String nonce = nonce();
        Exchange exchange = new DefaultExchange(context);
        exchange.setVariable("title", escape(text(texts, key + ".title", account)));
        exchange.setVariable("text", escape(text(texts, key + ".text", account)));
        exchange.setVariable("provider", escape(displayName));
        exchange.setVariable("account", escape(account));
        exchange.setVariable("outcome", key);
        exchange.setVariable("status", result.status());
        exchange.setVariable("lang", escape(texts.getProperty("lang", "en")));
        exchange.setVariable("cspNonce", nonce);
        return new Rendered(page.evaluate(exchange, String.class), nonce);
    }

    private String text(Properties texts, String key, String account) {
        return texts.getProperty(key, key).replace("{provider}", displayName).replace("{account}", account);
    }

    /** The texts for a browser language: the user's file for that language over the user's and the component's. */
    private Properties texts(String language) {
        if (userMessages == null || language == null || !userMessages.endsWith(".properties")) {
            return messages;
        }
        Properties known = byLanguage.get(language);
        if (known != null) {
            return known;
        }
        String localized = userMessages.substring(0, userMessages.length() - ".properties".length()) + "_" + language
                           + ".properties";
        Properties texts = messages;
        try (InputStream in = ResourceHelper.resolveResourceAsInputStream(context, localized)) {
            if (in != null) {
                texts = properties(read(in), messages);
            }
        } catch (IOException e) {
            texts = messages;
        }
        if (byLanguage.size() < MAX_LANGUAGES) {
            byLanguage.put(language, texts);
        }
        return texts;
    }

    /** The primary language of the browser's first choice, e.g. "de" of "de-CH,de;q=0.9", or null. */
    static String language(String acceptLanguage) {
        if (acceptLanguage == null) {
            return null;
        }
        String first = acceptLanguage.split(",", 2)[0].split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        String primary = first.split("-", 2)[0];
        return primary.matches("[a-z]{2,3}") ? primary : null;
    }

    private static String own(String path) {
        try (InputStream in = CallbackPages.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + path);
            }
            return read(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path + " from the jar", e);
        }
    }

    private String user(String provider, String option, String uri) {
        try (InputStream in = ResourceHelper.resolveResourceAsInputStream(context, uri)) {
            if (in == null) {
                throw InvalidOption.of(provider, option, "names " + uri + ", which does not exist");
            }
            return read(in);
        } catch (IOException e) {
            throw InvalidOption.of(provider, option, "names " + uri + ", which cannot be read: " + e.getMessage());
        }
    }

    private static Properties properties(String text, Properties defaults) {
        Properties merged = new Properties();
        merged.putAll(defaults);
        try (Reader reader = new java.io.StringReader(text)) {
            merged.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("cannot parse the page texts", e);
        }
        return merged;
    }

    private static String read(InputStream in) throws IOException {
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            StringBuilder out = new StringBuilder();
            char[] buffer = new char[4096];
            for (int n; (n = reader.read(buffer)) > 0;) {
                out.append(buffer, 0, n);
            }
            return out.toString();
        }
    }

    private static String nonce() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '$' -> out.append("&#36;"); // never a Simple expression, wherever a template puts it
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
