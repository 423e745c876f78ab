package io.github.cameltokenrefresh.karaf;

import java.io.File;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import io.github.cameltokenrefresh.TokenRefreshComponent;
import io.github.cameltokenrefresh.TokenRefreshConfiguration;
import io.github.cameltokenrefresh.dialect.BodyEncoding;
import io.github.cameltokenrefresh.dialect.ClientAuthentication;
import io.github.cameltokenrefresh.dialect.GrantTypeLocation;
import io.github.cameltokenrefresh.route.TokenRefreshRouteConfiguration;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.spi.ComponentResolver;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.features;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

/**
 * The Karaf feature in a real Apache Karaf (4.4.10 by default) with Camel Karaf: {@code feature:install
 * camel-tokenrefresh} from the features file this build attached, then a Camel context in the container that decorates
 * API calls against a local strict token server, refreshes on a Quartz schedule, recovers from a 401 with the
 * exported route configuration, and reports readiness.
 * <p>
 * Runs only with {@code -Pkaraf-itest} (docs/karaf.md): it needs the Camel Karaf bundles and features
 * ({@code org.apache.camel.karaf:*}) from Maven Central, which the build machine of this project cannot reach.
 * <p>
 * The bundle and the features file of this build are copied into Karaf's {@code system/} repository, so nothing has to
 * be installed into the local Maven repository first. The test classes (the StrictTokenServer included) form Pax Exam's
 * probe bundle, which imports whatever it needs dynamically: the component's API from the exported packages, Jackson
 * from Camel Karaf's jackson feature, com.sun.net.httpserver by Karaf's boot delegation.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KarafFeatureIT {

    static final String SYMBOLIC_NAME = "io.github.cameltokenrefresh.camel-tokenrefresh";

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected FeaturesService featuresService;

    @Configuration
    public Option[] config() {
        String version = required("project.version");
        File bundle = new File(required("tokenrefresh.bundle"));
        File featuresFile = new File(required("tokenrefresh.features"));
        String inSystemRepository = "system/io/github/cameltokenrefresh/camel-tokenrefresh/" + version
                                    + "/camel-tokenrefresh-" + version;
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration()
                        .frameworkUrl(maven().groupId("org.apache.karaf").artifactId("apache-karaf")
                                              .version(required("karaf.version")).type("tar.gz"))
                        .name("Apache Karaf")
                        .unpackDirectory(new File(required("project.build.directory"), "karaf-itest"))
                        .useDeployFolder(false),
                keepRuntimeFolder(),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevelOption.LogLevel.WARN),
                // installing Camel Karaf's features downloads a few dozen bundles
                systemTimeout(600_000),
                // this build's artifacts, where Karaf looks first for mvn: URLs (the system repository)
                replaceConfigurationFile(inSystemRepository + ".jar", bundle),
                replaceConfigurationFile(inSystemRepository + "-features.xml", featuresFile),
                // feature:repo-add mvn:.../xml/features and feature:install camel-tokenrefresh, at boot
                features(maven().groupId("io.github.cameltokenrefresh").artifactId("camel-tokenrefresh").version(version)
                                 .classifier("features").type("xml"), "camel-tokenrefresh"),
                systemProperty("tokenrefresh.itest.store")
                        .value(new File(required("project.build.directory"), "karaf-itest-store").getAbsolutePath())));
        String localRepository = System.getProperty("maven.repo.local");
        if (localRepository != null && !localRepository.isBlank()) {
            options.add(editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg",
                                                 "org.ops4j.pax.url.mvn.localRepository", localRepository));
        }
        return options.toArray(Option[]::new);
    }

    private static String required(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: run with -Pkaraf-itest");
        }
        return value;
    }

    @Test
    public void theFeatureIsInstalledAndTheBundleActive() throws Exception {
        assertTrue(featuresService.isInstalled(featuresService.getFeature("camel-tokenrefresh")));
        Bundle bundle = bundle();
        assertEquals(Bundle.ACTIVE, bundle.getState());
        // wired to Camel Karaf's extender (camel-core-osgi), as its Require-Capability asks
        assertNotNull(bundle.getHeaders().get("Require-Capability"));
    }

    /** camel-core-osgi's activator found META-INF/services/org/apache/camel/... in the bundle and registered them. */
    @Test
    public void camelKarafRegisteredTheComponentAndItsConfigurers() throws Exception {
        Collection<ServiceReference<ComponentResolver>> resolvers
                = bundleContext.getServiceReferences(ComponentResolver.class, "(component=tokenrefresh)");
        assertEquals(1, resolvers.size());
        assertEquals(SYMBOLIC_NAME, resolvers.iterator().next().getBundle().getSymbolicName());
        assertFalse(bundleContext.getServiceReferences("org.apache.camel.spi.ConfigurerResolver",
                                                       "(configurer=tokenrefresh-component)").length == 0);
    }

    @Test
    public void decoratesApiCallsRefreshesOnScheduleAndRecoversFrom401() throws Exception {
        try (StrictTokenServer server = StrictTokenServer.start(Dialect.PARTNER).partnerId(42).addRefreshToken("rt-0")) {
            CamelContext context = new OsgiDefaultCamelContext(bundleContext);
            try {
                // the provider as a Blueprint bean would define it: the configuration class is exported API
                TokenRefreshConfiguration partner = new TokenRefreshConfiguration();
                partner.setTokenUrl(server.tokenUrl());
                partner.setInsecureHttp(true);
                partner.setStoreDirectory(System.getProperty("tokenrefresh.itest.store"));
                partner.setEncoding(BodyEncoding.json);
                partner.setRefreshTokenField("refreshToken");
                partner.setGrantTypeLocation(GrantTypeLocation.header);
                partner.setGrantTypeField("grantType");
                partner.setClientAuthentication(ClientAuthentication.none);
                partner.setHeaders(Map.of("partnerId", "42"));
                partner.setRefreshToken("rt-0");
                partner.setRefreshInterval(60_000); // a Quartz route, through the camel-quartz feature
                context.getRegistry().bind("partner", partner);
                context.addRoutes(new TokenRefreshRouteConfiguration()); // the exported 401 handling
                context.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:call").routeId("call").to("tokenrefresh:partner").to(server.resourceUrl());
                    }
                });
                context.start();

                Exchange first = context.createProducerTemplate().request("direct:call", e -> {
                });
                assertNull(String.valueOf(first.getException()), first.getException());
                assertEquals(200, first.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));

                // the component came from our bundle, through Camel Karaf's resolver service
                TokenRefreshComponent component = context.getComponent("tokenrefresh", TokenRefreshComponent.class);
                assertEquals(SYMBOLIC_NAME, FrameworkUtil.getBundle(component.getClass()).getSymbolicName());

                // the provider revokes the token: one refresh, one redelivery, success
                server.revokeAccessToken(server.issuedAccessTokens().get(0));
                Exchange second = context.createProducerTemplate().request("direct:call", e -> {
                });
                assertNull(String.valueOf(second.getException()), second.getException());
                assertEquals(2, server.tokenCalls());
                assertEquals(1, server.unauthorizedResourceCalls());
                assertEquals(List.of(), server.rejections());

                // the scheduled refresh route (camel-quartz) and the readiness check (camel-health)
                assertNotNull(context.getRoute("tokenrefresh-schedule-partner"));
                HealthCheck.Result readiness = HealthCheckHelper.invokeReadiness(context).stream()
                        .filter(r -> r.getCheck().getId().equals("tokenrefresh-partner")).findFirst().orElseThrow();
                assertEquals(HealthCheck.State.UP, readiness.getState());
            } finally {
                context.stop();
            }
        }
    }

    private Bundle bundle() {
        for (Bundle b : bundleContext.getBundles()) {
            if (SYMBOLIC_NAME.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(SYMBOLIC_NAME + " is not installed");
    }
}
