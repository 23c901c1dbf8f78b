package dev.archon.sync.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Logging, set up in code (found by logback through {@code META-INF/services}; reading an XML
 * configuration cost every command about 0.15 s of start-up): lifecycle lines go to stderr, the
 * commands print their own results to stdout. {@code ARCHON_SYNC_LOG=INFO} or {@code DEBUG} shows
 * more; the default is WARN.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    static final String LEVEL_VARIABLE = "ARCHON_SYNC_LOG";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%X{sync_id:-}] %logger{0}: %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getenv(LEVEL_VARIABLE), Level.WARN));
        root.addAppender(stderr);
        context.getLogger("io.zonky").setLevel(Level.WARN);
        context.getLogger("org.eclipse.jetty").setLevel(Level.ERROR);
        context.getLogger("io.javalin").setLevel(Level.ERROR);
        // a failed start (port in use) is reported by the serve command in one line
        context.getLogger("io.javalin.Javalin").setLevel(Level.OFF);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
