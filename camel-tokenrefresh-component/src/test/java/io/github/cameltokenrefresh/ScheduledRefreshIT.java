package io.github.cameltokenrefresh;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.cameltokenrefresh.testing.MutableClock;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.RefreshReport;
import io.github.cameltokenrefresh.token.TokenState;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scheduled (Quartz) and start-up refresh: only due accounts are refreshed, and traffic never meets an expired token. */
class ScheduledRefreshIT extends TokenServerTestSupport {

    private String partner(String options) {
        return "tokenrefresh:partner?tokenUrl=" + server.tokenUrl()
               + "&encoding=json&refreshTokenField=refreshToken&grantTypeLocation=header&grantTypeField=grantType"
               + "&clientAuthentication=none&header.partnerId=4711" + options;
    }

    @Test
    void refreshDueTouchesOnlyAccountsExpiringWithinTheWindow() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-a").addRefreshToken("rt-b")
                .rotateRefreshTokens(false).expiresIn(3600L);
        MutableClock clock = new MutableClock(Instant.now());
        context = TestContexts.context(storeDir);
        TestContexts.component(context).setClock(clock);
        TestContexts.addRoute(context, "direct:refresh", partner("&operation=refresh&refreshWindow=10m"));
        TestContexts.addRoute(context, "direct:due", "tokenrefresh:partner?operation=refreshDue");
        context.start();
        ProducerTemplate template = context.createProducerTemplate();

        template.request("direct:refresh", e -> {
            e.getMessage().setHeader(TokenRefreshConstants.ACCOUNT, "soon");
            e.getMessage().setHeader(TokenRefreshConstants.REFRESH_TOKEN, "rt-a");
        });
        clock.advance(Duration.ofMinutes(30));
        template.request("direct:refresh", e -> {
            e.getMessage().setHeader(TokenRefreshConstants.ACCOUNT, "later");
            e.getMessage().setHeader(TokenRefreshConstants.REFRESH_TOKEN, "rt-b");
        });
        clock.advance(Duration.ofMinutes(25)); // soon: 5 min left; later: 35 min left
        assertEquals(2, server.tokenCalls());

        RefreshReport report = template.requestBody("direct:due", "", RefreshReport.class);
        assertEquals(List.of("soon"), report.getRefreshed());
        assertEquals(1, report.getNotDue());
        assertEquals(Map.of(), report.getFailed());
        assertEquals(3, server.tokenCalls(), "one token call: the due account only");

        report = template.requestBody("direct:due", "", RefreshReport.class);
        assertEquals(List.of(), report.getRefreshed());
        assertEquals(3, server.tokenCalls(), "nothing due any more");
    }

    @Test
    void refreshDueFindsStoredAccountsAfterARestartAndLoadsOnlyTheDueOnes() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-soon").rotateRefreshTokens(false);
        Instant now = Instant.now();
        io.github.cameltokenrefresh.store.file.FileTokenStore store = new io.github.cameltokenrefresh.store.file.FileTokenStore(storeDir);
        for (int i = 0; i < 50; i++) {
            store.save("partner", "later-" + i, io.github.cameltokenrefresh.token.Token.builder().accessToken("at-" + i)
                    .refreshToken("rt-" + i).issuedAt(now).expiresAt(now.plus(Duration.ofHours(1))).build(), 0);
        }
        store.save("partner", "soon", io.github.cameltokenrefresh.token.Token.builder().accessToken("at-soon")
                .refreshToken("rt-soon").issuedAt(now.minus(Duration.ofMinutes(55))).expiresAt(now.plus(Duration.ofMinutes(5)))
                .build(), 0);
        context = TestContexts.context(storeDir);
        TestContexts.addRoute(context, "direct:due", partner("&operation=refreshDue&refreshWindow=10m"));
        context.start();

        RefreshReport report = context.createProducerTemplate().requestBody("direct:due", "", RefreshReport.class);
        assertEquals(List.of("soon"), report.getRefreshed());
        assertEquals(50, report.getNotDue());
        assertEquals(1, server.tokenCalls());
        assertEquals(1, TestContexts.component(context).provider("partner").statuses().size(),
                     "only the due account was loaded into memory");
    }

    @Test
    void aQuartzScheduleKeepsShortLivedTokensFreshWithAndWithoutTraffic() throws Exception {
        // 6 s tokens; refreshed by the schedule once less than 4 s are left, long before callers would block
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0").expiresIn(6L);
        context = TestContexts.context(storeDir);
        TestContexts.addRoute(context, "direct:call", partner("&refreshToken=rt-0&refreshInterval=1s&refreshWindow=4s"));
        context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("direct:api").to("tokenrefresh:partner").to(server.resourceUrl() + "?throwExceptionOnFailure=false");
            }
        });
        context.start();
        assertNotNull(context.getRoute("tokenrefresh-schedule-partner"), "the component added the Quartz route");
        ProducerTemplate template = context.createProducerTemplate();
        template.requestBody("direct:call", "");

        // no traffic at all: the schedule alone renews the token
        await().atMost(Duration.ofSeconds(30)).until(() -> server.successfulRefreshes() >= 3);

        List<Integer> statuses = new ArrayList<>();
        int before = server.successfulRefreshes();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Exchange e = template.request("direct:api", x -> {
            });
            statuses.add(e.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
            return server.successfulRefreshes() >= before + 3;
        });
        assertTrue(statuses.size() > 20, "traffic ran throughout");
        assertTrue(statuses.stream().allMatch(s -> s == 200), () -> "every call was accepted: " + statuses);
        assertEquals(0, server.unauthorizedResourceCalls(), "no call ever carried an expired token");
    }

    @Test
    void aScheduledProviderIsReleasedWithItsRouteAndRedefinedWhenTheRouteIsReloadedWithOtherOptions() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0").expiresIn(3600L);
        context = TestContexts.context(storeDir);
        context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").routeId("call").to(partner("&refreshToken=rt-0&refreshInterval=1h"));
            }
        });
        context.start();
        assertNotNull(context.getRoute("tokenrefresh-schedule-partner"));

        // the route goes: its schedule is no user of the provider, so the provider and the schedule go with it
        context.getRouteController().stopRoute("call");
        context.removeRoute("call");
        assertEquals(java.util.Set.of(), TestContexts.component(context).getProviders().keySet());
        assertNull(context.getRoute("tokenrefresh-schedule-partner"));

        // reloaded with another schedule: a new definition, not a conflict with the old one
        context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").routeId("call").to(partner("&refreshToken=rt-0&refreshInterval=1s&refreshWindow=2h"));
            }
        });
        assertNotNull(context.getRoute("tokenrefresh-schedule-partner"));
        context.createProducerTemplate().requestBody("direct:call", "");
        int first = server.tokenCalls();
        // the new schedule (every second; a 1 h token is due within 2 h) refreshes without traffic
        await().atMost(Duration.ofSeconds(30)).until(() -> server.tokenCalls() >= first + 2);
    }

    @Test
    void aCronScheduleWrittenWithSpacesInTheUriRuns() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0").expiresIn(6L);
        context = TestContexts.context(storeDir);
        TestContexts.addRoute(context, "direct:call", partner("&refreshToken=rt-0&refreshCron=0/1 * * * * ?&refreshWindow=4s"));
        context.start();
        context.createProducerTemplate().requestBody("direct:call", "");
        await().atMost(Duration.ofSeconds(30)).until(() -> server.successfulRefreshes() >= 3);
    }

    @Test
    void anInvalidCronFailsAtRouteStartNamingTheOption() {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0");
        context = TestContexts.context(storeDir);
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> {
            TestContexts.addRoute(context, "direct:call", partner("&refreshToken=rt-0&refreshCron=every 5 minutes"));
            context.start();
        });
        String messages = TestContexts.messages(e);
        assertTrue(messages.contains("option refreshCron"), messages);
    }

    @Test
    void refreshOnStartRefreshesBeforeTheFirstMessageAndReportsADeadToken() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0");
        context = TestContexts.context(storeDir);
        TestContexts.addRoute(context, "direct:good", partner("&refreshToken=rt-0&refreshOnStart=true"));
        TestContexts.addRoute(context, "direct:dead", partner("&refreshToken=rt-dead&refreshOnStart=true&account=other"));
        context.start();

        assertEquals(2, server.tokenCalls(), "both accounts were refreshed during start, before any message");
        assertEquals(1, server.successfulRefreshes());
        TokenRefreshComponent component = TestContexts.component(context);
        assertEquals(TokenState.FRESH, component.provider("partner").account("default").status().state());
        assertEquals(TokenState.DEAD, component.provider("partner").account("other").status().state());
        assertTrue(context.getRouteController().getRouteStatus(context.getRoutes().get(0).getId()).isStarted(),
                   "a dead account does not stop the routes of the others");
    }
}
