/**
 * interproc logging: log records from many JVMs put into one
 * {@link io.interproc.ipc.queue.SharedQueue} by a {@code java.util.logging} handler, a Logback
 * appender or a Log4j2 appender, and taken out in arrival order by one
 * {@link io.interproc.logging.LogListener} that writes them to a JUL handler, an SLF4J logger or a
 * stream (Python: {@code QueueHandler} and {@code QueueListener}). Logback, Log4j2 and SLF4J are
 * optional: only the classes of {@code io.interproc.logging.logback}, {@code .log4j} and
 * {@code .slf4j} need them.
 */
module io.interproc.logging {
    requires transitive io.interproc.core;
    requires transitive io.interproc.ipc;
    requires transitive java.logging;
    requires java.management;

    // Optional: only the appenders and the SLF4J sink use them. Not transitive: javac would then
    // require them of every module that reads this one.
    requires static ch.qos.logback.classic;
    requires static ch.qos.logback.core;
    requires static org.apache.logging.log4j;
    requires static org.apache.logging.log4j.core;
    requires static org.slf4j;

    exports io.interproc.logging;
    exports io.interproc.logging.logback;
    exports io.interproc.logging.log4j;
    exports io.interproc.logging.slf4j;

    // Log4j2 instantiates its appender plugin by reflection.
    opens io.interproc.logging.log4j to org.apache.logging.log4j.core;
}
