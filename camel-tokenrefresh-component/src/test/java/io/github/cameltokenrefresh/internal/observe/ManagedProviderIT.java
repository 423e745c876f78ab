package io.github.cameltokenrefresh.internal.observe;

import io.github.cameltokenrefresh.TestContexts;
import io.github.cameltokenrefresh.TokenServerTestSupport;
import io.github.cameltokenrefresh.internal.Provider;
import io.github.cameltokenrefresh.testing.StrictTokenServer;
import io.github.cameltokenrefresh.testing.StrictTokenServer.Dialect;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A JMX console reads attributes one at a time: they share one pass over the accounts while nothing changes. */
class ManagedProviderIT extends TokenServerTestSupport {

    @Test
    void attributesShareOnePassOverTheAccountsUntilSomethingChanges() throws Exception {
        server = StrictTokenServer.start(Dialect.PARTNER).addRefreshToken("rt-0");
        context = TestContexts.context(storeDir);
        context.getRegistry().bind("partner", TestContexts.partnerBean(server, storeDir, "4711"));
        TestContexts.addRoute(context, "direct:call", "tokenrefresh:partner");
        context.start();
        context.createProducerTemplate().requestBody("direct:call", "");
        Provider provider = (Provider) TestContexts.component(context).tokens("partner");
        ManagedProvider managed = new ManagedProvider(provider);

        ProviderSummary first = managed.summary();
        assertEquals(1, managed.getAccounts());
        assertEquals(1L, managed.getRefreshes());
        assertEquals(0L, managed.getDeadAccounts());
        assertEquals("", managed.getLastErrorType());
        assertSame(first, managed.summary(), "no account changed: the same pass answers every attribute");

        provider.account("default").refresh();

        assertNotSame(first, managed.summary(), "a refresh changes what the attributes add up");
        assertEquals(2L, managed.getRefreshes());
    }
}
