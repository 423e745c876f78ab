package io.github.cameltokenrefresh.jbang;

import org.apache.camel.dsl.jbang.core.commands.CamelJBangMain;

/**
 * The {@code camel} command: what the Camel JBang launcher runs, for want of the launcher (not on the Maven repository
 * this project builds against). {@code CamelJBangMain.run} parses the command line and exits with its exit code.
 */
public final class CamelCommand {

    private CamelCommand() {
    }

    public static void main(String... args) {
        CamelJBangMain.run(args);
    }
}
