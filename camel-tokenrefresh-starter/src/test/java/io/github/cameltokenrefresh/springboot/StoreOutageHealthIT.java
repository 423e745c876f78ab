package io.github.cameltokenrefresh.springboot;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.github.cameltokenrefresh.store.jdbc.JdbcTokenStore;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import io.github.cameltokenrefresh.token.Token;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A Spring Boot application whose token store's database (an H2 TCP server) is down when it starts: the provider's
 * check is DOWN with errorType=store in the actuator and the readiness group is out of service; once the database is
 * back, both are UP again and calls work, with no restart. Before, the provider stayed UP while every call failed.
 */
@SpringBootTest(classes = StoreOutageHealthIT.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
                properties = {
                        // not application.yml: its providers belong to TokenRefreshStarterIT
                        "spring.config.name=store-outage-health-it",
                        "camel.component.tokenrefresh.providers.api.insecure-http=true",
                        "camel.component.tokenrefresh.providers.api.client-id=outage-client",
                        "camel.component.tokenrefresh.providers.api.client-secret=outage-secret-9d1f",
                        "camel.component.tokenrefresh.providers.api.store=#bean:tokenStore",
                        "camel.health.exposure-level=full",
                        "management.endpoints.web.exposure.include=health",
                        "management.endpoint.health.show-details=always",
                        "management.endpoint.health.probes.enabled=true",
                        "management.endpoint.health.group.readiness.include=readinessState,camelReadinessState" })
class StoreOutageHealthIT {

    static final StrictTokenServer SERVER = StrictTokenServer.start(Dialect.OAUTH2)
            .clientCredentials("outage-client", "outage-secret-9d1f").addRefreshToken("rt-outage-0");
    private static final String[] H2_ARGUMENTS;
    private static final JdbcDataSource DATABASE = new JdbcDataSource();
    private static Server h2;

    static {
        try (ServerSocket free = new ServerSocket(0)) {
            Path dir = Files.createTempDirectory("store-outage-health");
            H2_ARGUMENTS = new String[] { "-tcpPort", String.valueOf(free.getLocalPort()), "-baseDir", dir.toString(),
                                          "-ifNotExists" };
            DATABASE.setURL("jdbc:h2:tcp://127.0.0.1:" + free.getLocalPort() + "/tokens");
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Autowired
    TestRestTemplate http;
    @Autowired
    ProducerTemplate template;

    @DynamicPropertySource
    static void tokenServer(DynamicPropertyRegistry registry) throws SQLException {
        registry.add("camel.component.tokenrefresh.providers.api.token-url", SERVER::tokenUrl);
        // the account's refresh token is in the database, which is down when the application starts
        h2 = Server.createTcpServer(H2_ARGUMENTS).start();
        store().save("api", "default", Token.ofRefreshToken("rt-outage-0", Instant.now()), 0);
        h2.stop();
    }

    static JdbcTokenStore store() {
        JdbcTokenStore store = new JdbcTokenStore(DATABASE);
        store.setCreateTable(true);
        return store;
    }

    @AfterAll
    static void stop() {
        SERVER.close();
        h2.stop();
    }

    @Test
    void downAtStartTheProviderIsNotReadyUntilTheDatabaseIsBack() throws SQLException {
        http.getRestTemplate().setRequestFactory(new SimpleClientHttpRequestFactory());

        Map<?, ?> down = camelHealth();
        assertEquals("DOWN", down.get("tokenrefresh-api"), String.valueOf(down));
        assertEquals("store", ((Map<?, ?>) down.get("tokenrefresh-api.data")).get("errorType"), String.valueOf(down));
        ResponseEntity<Map> notReady = http.getForEntity("/actuator/health/readiness", Map.class);
        assertEquals(HttpStatus.SERVICE_UNAVAILABLE, notReady.getStatusCode(), String.valueOf(notReady.getBody()));
        assertFalse(String.valueOf(down).contains("outage-secret-9d1f") || String.valueOf(down).contains("rt-outage"));

        h2 = Server.createTcpServer(H2_ARGUMENTS).start();
        await().atMost(Duration.ofSeconds(30)).until(
                () -> http.getForEntity("/actuator/health/readiness", Map.class).getStatusCode() == HttpStatus.OK);
        Map<?, ?> up = camelHealth();
        assertEquals("UP", up.get("tokenrefresh-api"), String.valueOf(up));
        String bearer = template.request("direct:call", e -> {
        }).getMessage().getHeader("Authorization", String.class);
        assertNotNull(bearer, "calls work again without a restart");
        assertEquals("Bearer " + SERVER.issuedAccessTokens().get(0), bearer);
    }

    private Map<?, ?> camelHealth() {
        Map<?, ?> health = http.getForEntity("/actuator/health", Map.class).getBody();
        Map<?, ?> camel = (Map<?, ?>) ((Map<?, ?>) health.get("components")).get("camelHealth");
        return (Map<?, ?>) camel.get("details");
    }

    /** No component scan: StarterTestApplication's routes are another test's. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        JdbcTokenStore tokenStore() {
            return store();
        }

        @Bean
        RouteBuilder callRoute() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:call").routeId("call").to("tokenrefresh:api");
                }
            };
        }
    }
}
