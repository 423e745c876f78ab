package io.github.cameltokenrefresh;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * The process {@link SigtermDuringTokenCallIT} sends SIGTERM to: Camel Main (which stops the context gracefully on
 * SIGTERM, as in production) with a route that forces one refresh of the provider's account as it starts, into a
 * file store. Arguments: token URL, client secret, store directory, refresh token. Prints {@code STARTED} once the context
 * runs, {@code STOPPING} as Camel Main begins to stop it, {@code REFRESHED} once the refresh returned and
 * {@code STOPPED} once the context stopped; never a token.
 */
public final class SigtermRefreshMain {

    private SigtermRefreshMain() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                // one forced refresh as the context starts: an exchange in flight, which a graceful stop waits for
                from("timer:refresh?repeatCount=1&delay=0")
                        .to("tokenrefresh:p?operation=refresh&tokenUrl=" + args[0] + "&insecureHttp=true"
                            + "&clientId=sigterm-client&clientSecret=" + args[1] + "&storeDirectory=" + args[2]
                            + "&refreshToken=" + args[3])
                        .process(exchange -> print("REFRESHED"));
            }
        });
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport main) {
                print("STARTED");
            }

            @Override
            public void beforeStop(BaseMainSupport main) {
                print("STOPPING");
            }

            @Override
            public void afterStop(BaseMainSupport main) {
                print("STOPPED");
            }
        });
        main.run();
    }

    private static synchronized void print(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
