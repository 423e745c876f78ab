package io.github.cameltokenrefresh;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.cameltokenrefresh.store.TokenStore;
import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.ProviderTokens;
import io.github.cameltokenrefresh.token.TokenEvent;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.AvailablePortFinder;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A strict authorization and token server, a Camel context with a platform-http server on a free port, provider
 * {@code acme} with the authorization-code flow, the callback route template, a decorated API call per account, and
 * the provider's events collected.
 */
final class OnboardingFixture implements AutoCloseable {

    static final String CLIENT_SECRET = "CLIENT-SECRET-4e7a";
    static final String STATE_SECRET = "STATE-KEY-0123456789abcdef0123456789abcdef";

    final StrictTokenServer server = StrictTokenServer.start(Dialect.OAUTH2).clientCredentials("acme-client",
                                                                                                CLIENT_SECRET);
    final int port = AvailablePortFinder.getNextAvailable();
    final String redirectUri = "http://127.0.0.1:" + port + AuthorizationCallbackTemplate.DEFAULT_PATH;
    final MutableClock clock = new MutableClock(Instant.now());
    final List<TokenEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    final DefaultCamelContext context;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private final Path storeDir;

    OnboardingFixture(Path storeDir) throws Exception {
        this.storeDir = storeDir;
        server.authorization().redirectUri(redirectUri);
        context = TestContexts.context(storeDir);
        TestContexts.component(context).setClock(clock);
        VertxPlatformHttpServerConfiguration http = new VertxPlatformHttpServerConfiguration();
        http.setBindHost("127.0.0.1");
        http.setBindPort(port);
        context.addService(new VertxPlatformHttpServer(http));
        context.getRegistry().bind("acme", provider(server.tokenUrl()));
    }

    /** The provider acme: the flow on the strict server, secrets in the bean (never in a URI). */
    TokenRefreshConfiguration provider(String tokenUrl) {
        TokenRefreshConfiguration config = new TokenRefreshConfiguration();
        config.setTokenUrl(tokenUrl);
        config.setInsecureHttp(true);
        config.setStoreDirectory(storeDir.toString()); // a bean replaces the component's configuration
        config.setClientId("acme-client");
        config.setClientSecret(CLIENT_SECRET);
        config.setAuthorizationUrl(server.authorizationUrl());
        config.setRedirectUri(redirectUri);
        config.setScope("read write");
        config.setStateSecret(STATE_SECRET);
        return config;
    }

    /** Points provider acme at another authorization server (before start). */
    void useAuthorizationServer(String authorizationUrl, String tokenUrl, String scope) {
        TokenRefreshConfiguration config = provider(tokenUrl);
        config.setAuthorizationUrl(authorizationUrl);
        config.setScope(scope);
        context.getRegistry().bind("acme", config);
    }

    /** Starts with the Java route template of the callback and the fixture's routes. */
    OnboardingFixture startWithJavaTemplate() throws Exception {
        context.addRoutes(new AuthorizationCallbackTemplate());
        TemplatedRouteBuilder.builder(context, AuthorizationCallbackTemplate.TEMPLATE_ID).parameter("provider", "acme")
                .add();
        return start();
    }

    /** Starts with the YAML twin of the template, loaded from the jar, and a YAML templatedRoute. */
    OnboardingFixture startWithYamlTemplate() throws Exception {
        var loader = PluginHelper.getRoutesLoader(context);
        loader.loadRoutes(PluginHelper.getResourceLoader(context)
                .resolveResource("classpath:tokenrefresh/authorization-callback.yaml"));
        loader.loadRoutes(ResourceHelper.fromString("callback.yaml", """
                - templatedRoute:
                    routeTemplateRef: tokenrefresh-authorization-callback
                    parameters:
                      - name: provider
                        value: acme
                """));
        return start();
    }

    OnboardingFixture start() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:link").to("tokenrefresh:acme?operation=authorizationUrl");
                from("direct:call").to("tokenrefresh:acme").to(server.resourceUrl());
                from("tokenrefresh:acme").process(e -> events.add(e.getMessage().getBody(TokenEvent.class)));
            }
        });
        context.start();
        return this;
    }

    /** A fresh authorization link for the account, from operation=authorizationUrl. */
    String link(String account) {
        return context.createProducerTemplate().requestBodyAndHeader("direct:link", null,
                TokenRefreshConstants.ACCOUNT, account, String.class);
    }

    /** Follows a link to the strict authorization server, which consents at once: the redirect back to us. */
    String consent(String link) throws IOException, InterruptedException {
        HttpResponse<String> answer = get(link);
        assertEquals(302, answer.statusCode(), answer::body);
        return answer.headers().firstValue("Location").orElseThrow();
    }

    HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The whole onboarding of one account, as a browser does it: the callback's answer. */
    HttpResponse<String> onboard(String account) throws IOException, InterruptedException {
        return get(consent(link(account)));
    }

    /** The API call of an account through the decorated route: the resource server's status. */
    int callApi(String account) {
        Exchange result = context.createProducerTemplate().request("direct:call",
                e -> e.getMessage().setHeader(TokenRefreshConstants.ACCOUNT, account));
        if (result.getException() != null) {
            throw new AssertionError("API call failed", result.getException());
        }
        return result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }

    ProviderTokens tokens() {
        return TestContexts.component(context).tokens("acme");
    }

    TokenStore store() {
        return TestContexts.component(context).store("acme");
    }

    List<TokenEvent.Type> eventTypes() {
        List<TokenEvent.Type> types = new ArrayList<>();
        events.forEach(e -> types.add(e.type()));
        return types;
    }

    @Override
    public void close() {
        context.stop();
        server.close();
    }
}
