package io.github.cameltokenrefresh.testing;

import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Turns every logger up to TRACE and captures all output, stack traces included, until closed; the console gets none
 * of it. For proving that no secret reaches a log at any level.
 */
public final class LogCapture implements AutoCloseable {

    private final StringWriter out = new StringWriter();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final Map<LoggerConfig, Level> previousLevels = new HashMap<>();
    private final Map<LoggerConfig, Map<String, Appender>> previousAppenders = new HashMap<>();
    private final Appender appender;

    public LogCapture() {
        Configuration config = context.getConfiguration();
        appender = WriterAppender.newBuilder().setName("capture").setTarget(out)
                .setLayout(PatternLayout.newBuilder().withPattern("%p %c - %m%n%throwable").build()).build();
        appender.start();
        config.addAppender(appender);
        for (LoggerConfig logger : allLoggers(config)) {
            previousLevels.put(logger, logger.getLevel());
            previousAppenders.put(logger, new HashMap<>(logger.getAppenders()));
            logger.getAppenders().keySet().forEach(logger::removeAppender);
            logger.addAppender(appender, Level.ALL, null);
            logger.setLevel(Level.ALL);
        }
        context.updateLoggers();
    }

    private static Iterable<LoggerConfig> allLoggers(Configuration config) {
        java.util.List<LoggerConfig> loggers = new java.util.ArrayList<>(config.getLoggers().values());
        if (!loggers.contains(config.getRootLogger())) {
            loggers.add(config.getRootLogger());
        }
        return loggers;
    }

    /** Everything logged so far. */
    public String text() {
        synchronized (out) {
            return out.toString();
        }
    }

    @Override
    public void close() {
        previousLevels.forEach(LoggerConfig::setLevel);
        previousAppenders.forEach((logger, appenders) -> {
            logger.removeAppender("capture");
            appenders.values().forEach(a -> logger.addAppender(a, null, null));
        });
        context.getConfiguration().getAppenders().remove("capture");
        appender.stop();
        context.updateLoggers();
    }
}
