package io.github.cameltokenrefresh;

import org.apache.camel.builder.RouteBuilder;

/**
 * The route template of the authorization-code callback: platform-http at {@code path} (default
 * {@value #DEFAULT_PATH}) into {@code tokenrefresh:<provider>?operation=authorizationCallback}. Add this builder, then
 * {@code templatedRoute(TEMPLATE_ID).parameter("provider", "aweber")}. A path that is not the path of the provider's
 * {@code redirectUri} fails at route start naming both (the provider's redirect would end on a 404). YAML routes load
 * its twin, {@code classpath:tokenrefresh/authorization-callback.yaml}. Needs a platform-http engine only when used.
 */
public class AuthorizationCallbackTemplate extends RouteBuilder {

    public static final String TEMPLATE_ID = "tokenrefresh-authorization-callback";
    public static final String DEFAULT_PATH = "/tokenrefresh/callback";

    @Override
    public void configure() {
        routeTemplate(TEMPLATE_ID)
                .templateParameter("provider")
                .templateParameter("path", DEFAULT_PATH)
                // Cache-Control goes out (Camel's HTTP header filter would drop it)
                .from("platform-http:{{path}}?httpMethodRestrict=GET"
                      + "&headerFilterStrategy=#class:io.github.cameltokenrefresh.CallbackHeaderFilterStrategy")
                // the operation and account are the template's, never a request's
                .removeHeaders("CamelTokenRefresh*")
                // the producer checks at start that path is redirectUri's
                .to("tokenrefresh:{{provider}}?operation=authorizationCallback&callbackPath={{path}}");
    }
}
