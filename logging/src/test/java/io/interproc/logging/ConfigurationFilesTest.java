package io.interproc.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.interproc.core.Segment;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.logging.children.ConfiguredChild;
import io.interproc.process.JvmProcess;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The handler and appenders set up by each framework's own configuration file
 * ({@code logging.properties}, {@code logback.xml}, {@code log4j2.xml}) in a child JVM whose code
 * only logs.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConfigurationFilesTest {
    private static final int RECORDS = 20;

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"jul", "logback", "log4j"})
    void shouldPutRecordsThroughTheHandlerTheConfigurationFileNames(String framework) throws Exception {
        Segment s = segments.create(4 << 20);
        SharedQueue<LogEvent> q = SharedQueue.create(s, "configured", 1 << 16, LogEvent.codec());
        String process = framework + "-from-file";
        Path file;
        String property;
        switch (framework) {
            case "jul" -> {
                String p = SharedQueueHandler.class.getName();
                file = write("logging.properties", "handlers=" + p + "\n.level=INFO\n" + p + ".segment=" + s.name()
                        + "\n" + p + ".queue=configured\n" + p + ".policy=BLOCK:30s\n" + p + ".process=" + process + "\n");
                property = "java.util.logging.config.file";
            }
            case "logback" -> {
                file = write("logback.xml", """
                        <configuration>
                          <appender name="SHARED" class="io.interproc.logging.logback.SharedQueueAppender">
                            <segment>%s</segment>
                            <queue>configured</queue>
                            <capacity>65536</capacity>
                            <policy>BLOCK:30s</policy>
                            <process>%s</process>
                          </appender>
                          <root level="INFO"><appender-ref ref="SHARED"/></root>
                        </configuration>
                        """.formatted(s.name(), process));
                property = "logback.configurationFile";
            }
            default -> {
                file = write("log4j2.xml", """
                        <Configuration status="warn">
                          <Appenders>
                            <SharedQueue name="SHARED" segment="%s" queue="configured" policy="BLOCK:30s" process="%s"/>
                          </Appenders>
                          <Loggers><Root level="info"><AppenderRef ref="SHARED"/></Root></Loggers>
                        </Configuration>
                        """.formatted(s.name(), process));
                property = "log4j2.configurationFile";
            }
        }
        JvmProcess child = children.start(JvmProcess.builder(ConfiguredChild.class).args(framework, String.valueOf(RECORDS))
                .systemProperty(property, file.toString()).captureOutput());
        ChildJvms.awaitSuccess(child, 60);
        for (int i = 0; i < RECORDS; i++) {
            LogEvent e = q.poll(5, TimeUnit.SECONDS);
            assertNotNull(e, () -> "record missing; child stderr:\n" + child.errorOutput());
            assertEquals("configured " + i, e.message());
            assertEquals(process, e.process());
            assertEquals("configured." + framework, e.logger());
            assertEquals(child.pid(), e.pid());
        }
        assertEquals(null, q.poll(), "nothing else");
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
