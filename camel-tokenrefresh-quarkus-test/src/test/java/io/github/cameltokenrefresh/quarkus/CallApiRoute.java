package io.github.cameltokenrefresh.quarkus;

import org.apache.camel.builder.RouteBuilder;

/** Found by Camel Quarkus's route discovery. */
public class CallApiRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:call").routeId("call-api")
                .to("tokenrefresh:quarkus")
                .to("{{tokenserver.resource-url}}");
    }
}
