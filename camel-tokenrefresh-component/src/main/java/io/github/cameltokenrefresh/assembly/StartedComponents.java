package io.github.cameltokenrefresh.assembly;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.github.cameltokenrefresh.token.ProviderTokens;
import org.apache.camel.CamelContext;

/**
 * The tokenrefresh components started in this JVM, by the name of their Camel context: how code that a library creates
 * by class name with a no-arg constructor, outside any Camel context, reaches a provider (Kafka's login callback
 * handler, {@code io.github.cameltokenrefresh.kafka}). A component adds itself as it starts and goes as it stops; a
 * caller holds a provider as an endpoint does, so it keeps running until released.
 */
public final class StartedComponents {

    /** What a started component lends: a provider, started on first use and kept running for its holders. */
    public interface Lender {

        /** The provider, held for {@code holder} (a reference, like an endpoint's) until {@link #release}. */
        ProviderTokens hold(String provider, Object holder);

        void release(String provider, Object holder);
    }

    private record Started(CamelContext context, Lender lender) {
    }

    private static final List<Started> STARTED = new CopyOnWriteArrayList<>();

    private StartedComponents() {
    }

    public static void started(CamelContext context, Lender lender) {
        STARTED.add(new Started(context, lender));
    }

    public static void stopped(CamelContext context) {
        STARTED.removeIf(s -> s.context() == context);
    }

    /**
     * The lender of the component started in the Camel context named {@code contextName}, or of the only one started
     * in this JVM when {@code contextName} is null.
     *
     * @throws IllegalStateException when none or several match; the message names {@code contextOption}, the option
     *                               that picks a context, and the contexts there are
     */
    public static Lender lender(String contextName, String contextOption) {
        List<Started> matching = STARTED.stream()
                .filter(s -> contextName == null || contextName.equals(s.context().getName())).toList();
        if (matching.size() == 1) {
            return matching.get(0).lender();
        }
        String known = STARTED.stream().map(s -> s.context().getName()).collect(Collectors.joining(", ", "[", "]"));
        if (matching.isEmpty()) {
            throw new IllegalStateException((contextName == null
                    ? "no Camel context in this JVM has started the tokenrefresh component"
                    : "no Camel context named " + contextName + " has started the tokenrefresh component")
                                            + " (started: " + known + "); it starts with the context when a route names a"
                                            + " tokenrefresh: endpoint or a camel.component.tokenrefresh.* option is set;"
                                            + " " + contextOption + " names the context");
        }
        throw new IllegalStateException("several Camel contexts in this JVM run the tokenrefresh component " + known
                                        + ": set " + contextOption + " to the one whose provider to use");
    }
}
