package io.github.cameltokenrefresh.route;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A route that names {@code routeConfigurationId: tokenrefresh-unauthorized} while no route configuration of that id
 * is loaded gets no 401 handling, and Camel says nothing: this check says it once the context has started, naming the
 * routes and what to load.
 */
public final class UnauthorizedHandlingCheck {

    private static final Logger LOG = LoggerFactory.getLogger(UnauthorizedHandlingCheck.class);

    private UnauthorizedHandlingCheck() {
    }

    /** The ids of the routes that name the 401 route configuration although none of that id is loaded. */
    public static List<String> unguardedRoutes(CamelContext context) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        if (model == null) {
            return List.of();
        }
        Set<String> loaded = model.getRouteConfigurationDefinitions().stream().map(RouteConfigurationDefinition::getId)
                .collect(Collectors.toSet());
        if (loaded.contains(TokenRefreshRouteConfiguration.DEFAULT_ID)) {
            return List.of();
        }
        return model.getRouteDefinitions().stream().filter(UnauthorizedHandlingCheck::namesTheConfiguration)
                .map(RouteDefinition::getRouteId).toList();
    }

    private static boolean namesTheConfiguration(RouteDefinition route) {
        String ids = route.getRouteConfigurationId();
        if (ids == null) {
            return false;
        }
        for (String id : ids.split(",")) {
            if (id.trim().equals(TokenRefreshRouteConfiguration.DEFAULT_ID)) {
                return true;
            }
        }
        return false;
    }

    /** Warns when {@link #unguardedRoutes} finds any. */
    public static void warnIfUnguarded(CamelContext context) {
        List<String> routes = unguardedRoutes(context);
        if (!routes.isEmpty()) {
            LOG.warn("Routes {} name routeConfigurationId '{}', but no route configuration of that id is loaded: a 401 "
                     + "from the API will not renew the token. Load it: in YAML, add classpath:tokenrefresh/"
                     + "unauthorized-route-configuration.yaml to camel.main.routes-include-pattern; in Java, add "
                     + "new TokenRefreshRouteConfiguration(\"{}\") to the context.", routes,
                     TokenRefreshRouteConfiguration.DEFAULT_ID, TokenRefreshRouteConfiguration.DEFAULT_ID);
        }
    }
}
