package io.closedloop.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import io.closedloop.config.ClosedloopSettings;
import java.net.URL;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Switches logging to the configured format once settings are known, and registers secrets for redaction. */
public final class LogSetup {
    private LogSetup() {
    }

    public static void apply(ClosedloopSettings settings) {
        Redactor.registerSecrets(settings.secretValues());
        configure(settings.logFormat());
    }

    /**
     * For commands that print their own result lines: secrets stay redacted, library INFO logs stay out of the way,
     * and what is still logged is in the configured format.
     */
    public static void quiet(ClosedloopSettings settings) {
        Redactor.registerSecrets(settings.secretValues());
        configure(settings.logFormat());
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
            context.getLogger("org.apache.camel").setLevel(Level.WARN);
            // Flyway warns about database versions it has not verified on every start: noise in a command's output
            context.getLogger("org.flywaydb").setLevel(Level.ERROR);
        }
    }

    /** java.util.logging writes to stderr on its own, past the redaction layer: its records go to logback instead. */
    public static void bridgeJavaUtilLogging() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    public static void configure(ClosedloopSettings.LogFormat format) {
        bridgeJavaUtilLogging();
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        // the JSON encoder (and the JSON library it starts) is built only for the format that uses it
        String file = format == ClosedloopSettings.LogFormat.JSON ? "logback-json.xml" : "logback.xml";
        URL config = LogSetup.class.getClassLoader().getResource(file);
        if (config == null) {
            return;
        }
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException("logback configuration failed", e);
        }
    }
}
