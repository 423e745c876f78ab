package io.github.cameltokenrefresh.internal;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configuration error ({@link InvalidOption}) that knows its option, so it can be told again in the names the user
 * wrote: a Spring Boot property key rather than the URI option ({@link #named}).
 */
public final class InvalidOptionException extends IllegalArgumentException {

    /** Option names in a problem: camel case (insecureHttp), or a word set with '=' (fallbackGrant=password). */
    private static final Pattern OPTION = Pattern.compile("\\b(?:[a-z]+[A-Z][A-Za-z]*|[a-z]+(?==))");

    private final String provider;
    private final String option;
    private final String problem;

    InvalidOptionException(String provider, String option, String problem) {
        this(provider, option, problem, "option " + option);
    }

    private InvalidOptionException(String provider, String option, String problem, String subject) {
        super("tokenrefresh:" + provider + ": " + subject + " " + problem);
        this.provider = provider;
        this.option = option;
        this.problem = problem;
    }

    public String provider() {
        return provider;
    }

    public String option() {
        return option;
    }

    /**
     * The same error with options named by {@code keyOf} (an option → the key it was written as, or null for a name
     * that is no option): the key first, the option in brackets, and the options the problem names as fixes.
     */
    public InvalidOptionException named(UnaryOperator<String> keyOf) {
        String key = keyOf.apply(option);
        if (key == null) {
            return this;
        }
        Matcher names = OPTION.matcher(problem);
        StringBuilder named = new StringBuilder();
        while (names.find()) {
            String found = keyOf.apply(names.group());
            names.appendReplacement(named, Matcher.quoteReplacement(found == null ? names.group() : found));
        }
        names.appendTail(named);
        InvalidOptionException renamed = new InvalidOptionException(provider, option, named.toString(),
                                                                    key + " (option " + option + ")");
        renamed.setStackTrace(getStackTrace());
        return renamed;
    }
}
