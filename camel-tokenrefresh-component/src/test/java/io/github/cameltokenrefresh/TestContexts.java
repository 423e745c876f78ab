package io.github.cameltokenrefresh;

import java.nio.file.Path;
import java.util.Map;

import io.github.cameltokenrefresh.dialect.BodyEncoding;
import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.dialect.GrantTypeLocation;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/** Camel contexts for tests: tokenrefresh allowed to use the local http:// servers, store in a temp directory. */
public final class TestContexts {

    private TestContexts() {
    }

    public static DefaultCamelContext context(Path storeDir) {
        DefaultCamelContext context = new DefaultCamelContext();
        TokenRefreshComponent component = new TokenRefreshComponent();
        component.getConfiguration().setInsecureHttp(true);
        component.getConfiguration().setStoreDirectory(storeDir.toString());
        context.addComponent("tokenrefresh", component);
        return context;
    }

    /** A context with one route direct:call -> the given endpoint, started. */
    public static DefaultCamelContext started(Path storeDir, String endpointUri) throws Exception {
        DefaultCamelContext context = context(storeDir);
        addRoute(context, "direct:call", endpointUri);
        context.start();
        return context;
    }

    public static void addRoute(CamelContext context, String from, String to) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(from).to(to);
            }
        });
    }

    /** The messages of an exception and all its causes, one a line: Camel wraps start-up errors several times. */
    public static String messages(Throwable e) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    /**
     * A provider bean speaking the partner API's dialect (the worked custom-dialect example of docs/dialects.md) to a
     * local strict server, bootstrapped with refresh token rt-0.
     */
    public static TokenRefreshConfiguration partnerBean(StrictTokenServer server, Path storeDir, String partnerId) {
        TokenRefreshConfiguration partner = new TokenRefreshConfiguration();
        partner.setTokenUrl(server.tokenUrl());
        partner.setInsecureHttp(true);
        partner.setStoreDirectory(storeDir.toString());
        partner.setEncoding(BodyEncoding.json);
        partner.setRefreshTokenField("refreshToken");
        partner.setGrantTypeLocation(GrantTypeLocation.header);
        partner.setGrantTypeField("grantType");
        partner.setClientAuthentication(ClientAuthentication.none);
        partner.setHeaders(Map.of("partnerId", partnerId));
        partner.setRefreshToken("rt-0");
        return partner;
    }

    /** Token time for the component's providers (setClock is package-private): tests in other packages use this. */
    public static void clock(TokenRefreshComponent component, java.time.Clock clock) {
        component.setClock(clock);
    }

    public static TokenRefreshComponent component(CamelContext context) {
        return context.getComponent("tokenrefresh", TokenRefreshComponent.class);
    }
}
