package io.github.cameltokenrefresh.example;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.Base64;

import io.github.cameltokenrefresh.AuthorizationCallbackTemplate;
import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.TokenRefreshConstants;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * Onboards a second customer account with the authorization-code flow against a local AWeber-dialect provider (the
 * strict test server, whose authorization endpoint consents at once, as a customer clicking "allow" would): the link
 * from {@code operation=authorizationUrl}, the provider's redirect to the callback route template on platform-http,
 * the tokens saved, and a decorated API call for the new account. Run from the repository root:
 * {@code ./mvnw -q -pl examples -am -DskipTests package exec:java -Ponboarding}. Exits non-zero when a step failed.
 */
public final class OnboardingExample {

    private static final String ACCOUNT = "second-customer";

    private OnboardingExample() {
    }

    public static void main(String[] args) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String redirectUri = "http://127.0.0.1:" + port + AuthorizationCallbackTemplate.DEFAULT_PATH;
        Outcome outcome = new Outcome();
        try (StrictTokenServer provider = StrictTokenServer.start(Dialect.AWEBER)) {
            provider.authorization().redirectUri(redirectUri);
            Main main = new Main();
            // not the classpath application.properties of the other example: this one configures itself
            main.setDefaultPropertyPlaceholderLocation("false");
            main.configure().httpServer().withEnabled(true).withHost("127.0.0.1").withPort(port);
            main.bind("aweber", aweber(provider, redirectUri));
            main.configure().addRoutesBuilder(new AuthorizationCallbackTemplate());
            main.configure().addRoutesBuilder(new RouteBuilder() {
                @Override
                public void configure() {
                    templatedRoute(AuthorizationCallbackTemplate.TEMPLATE_ID).parameter("provider", "aweber");
                    from("tokenrefresh:aweber?events=authorized,authorization_failed")
                            .log("event: ${body}");
                }
            });
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterStart(BaseMainSupport m) {
                    try {
                        outcome.ok = onboard(m.getCamelContext(), provider.resourceUrl());
                    } catch (Exception e) {
                        System.out.println("onboarding failed: " + e);
                    } finally {
                        main.completed();
                    }
                }
            });
            main.run(args);
        }
        if (!outcome.ok) {
            throw new TokenRefreshExample.ExampleFailedException("onboarding " + ACCOUNT + " failed (see above)");
        }
    }

    private static boolean onboard(CamelContext context, String apiUrl) throws Exception {
        ProducerTemplate template = context.createProducerTemplate();
        String link = template.requestBodyAndHeader("tokenrefresh:aweber?operation=authorizationUrl", null,
                TokenRefreshConstants.ACCOUNT, ACCOUNT, String.class);
        System.out.println("1. the link for " + ACCOUNT + " (signed state, PKCE challenge, no secret):\n   " + link);

        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> consent = browser.send(HttpRequest.newBuilder(URI.create(link)).build(),
                                                    HttpResponse.BodyHandlers.ofString());
        String callback = consent.headers().firstValue("Location").orElseThrow();
        System.out.println("2. the provider redirects back to " + callback.substring(0, callback.indexOf('?')));
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(callback)).build(),
                                                 HttpResponse.BodyHandlers.ofString());
        System.out.println("3. the callback answers " + page.statusCode() + ": "
                           + page.body().replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").trim());

        Exchange decorated = template.request("tokenrefresh:aweber",
                e -> e.getMessage().setHeader(TokenRefreshConstants.ACCOUNT, ACCOUNT));
        Exchange call = template.request(apiUrl, e -> e.getMessage().setHeader("Authorization",
                decorated.getMessage().getHeader("Authorization")));
        Integer status = call.getException() == null
                ? call.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class) : null;
        System.out.println("4. a decorated API call for " + ACCOUNT + " answers " + status);
        return page.statusCode() == 200 && Integer.valueOf(200).equals(status);
    }

    private static TokenRefreshConfiguration aweber(StrictTokenServer provider, String redirectUri) throws Exception {
        TokenRefreshConfiguration aweber = new TokenRefreshConfiguration();
        aweber.setPreset("aweber");
        // the local provider instead of AWeber's URLs, over http on the loopback
        aweber.setTokenUrl(provider.tokenUrl());
        aweber.setAuthorizationUrl(provider.authorizationUrl());
        aweber.setInsecureHttp(true);
        aweber.setClientId(provider.clientId());
        aweber.setClientSecret(provider.clientSecret());
        aweber.setRedirectUri(redirectUri);
        aweber.setScope("account.read subscriber.read");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        aweber.setStateSecret(Base64.getEncoder().encodeToString(key)); // in production: from a vault
        aweber.setStoreDirectory(Files.createTempDirectory("tokenrefresh-onboarding").toString());
        return aweber;
    }

    private static final class Outcome {
        volatile boolean ok;
    }
}
