package io.interproc.logging.children;

/**
 * Child JVM for the configuration-file test: logs {@code configured 0} ... through one framework's
 * API only; the framework's own configuration file (named by a system property) sets up the
 * interproc handler or appender. Arguments: {@code FRAMEWORK COUNT}, FRAMEWORK one of
 * {@code jul}, {@code logback}, {@code log4j}.
 */
public final class ConfiguredChild {
    private ConfiguredChild() {
    }

    /**
     * @param args see the class doc
     */
    public static void main(String[] args) {
        String framework = args[0];
        int count = Integer.parseInt(args[1]);
        String logger = "configured." + framework;
        for (int i = 0; i < count; i++) {
            String message = "configured " + i;
            switch (framework) {
                case "jul" -> java.util.logging.Logger.getLogger(logger).info(message);
                case "logback" -> org.slf4j.LoggerFactory.getLogger(logger).info(message);
                case "log4j" -> org.apache.logging.log4j.LogManager.getLogger(logger).info(message);
                default -> throw new IllegalArgumentException("no framework " + framework);
            }
        }
    }
}
