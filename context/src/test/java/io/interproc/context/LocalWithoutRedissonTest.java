package io.interproc.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.core.testing.TempSegments;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link Interproc#local} in a JVM whose class path has no Redisson (it is an optional dependency). */
class LocalWithoutRedissonTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    @Test
    void localNeedsNoRedisson() throws Exception {
        Segment segment = segments.create(1 << 20);
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("redisson") && !entry.contains("netty"))
                .collect(Collectors.joining(File.pathSeparator));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile("local-only-", ".log");
        Process child = new ProcessBuilder(java, "-cp", classPath, LocalOnlyMain.class.getName(), segment.name())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            boolean exited = child.waitFor(60, TimeUnit.SECONDS);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(exited, "child did not exit within 60 s: " + output);
            assertEquals(0, child.exitValue(), output);
            assertTrue(output.contains("interproc-redis"), output);
            assertEquals(42, SharedLong.open(segment, "child-value").get());
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(log);
        }
    }
}
