package io.interproc.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.InterprocException;
import io.interproc.core.segment.ProcessLiveness;
import io.interproc.core.testing.EchoMain;
import io.interproc.core.testing.ExitMain;
import io.interproc.core.testing.SleepMain;
import io.interproc.core.testing.SpawnDaemonMain;
import io.interproc.core.testing.ThrowMain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests of {@link JvmProcess} and {@link JvmProcessBuilder} with real child JVMs. Every test
 * closes (kills and reaps) the children it starts, also when it fails; no test waits a fixed time
 * for something to happen.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class JvmProcessTest {
    /** Generous: a JVM start on a loaded two-core machine can take seconds. */
    private static final Duration EXIT_DEADLINE = Duration.ofSeconds(60);

    @Test
    void shouldReportTheExitCodeOfAChildThatExits() throws InterruptedException {
        try (JvmProcess child = JvmProcess.start(ExitMain.class, "3")) {
            assertTrue(child.join(EXIT_DEADLINE));
            assertFalse(child.isAlive());
            assertEquals(3, child.exitCode());
        }
    }

    @Test
    void shouldCaptureStandardOutputAndErrorSeparately() throws InterruptedException {
        try (JvmProcess child = JvmProcess.builder(EchoMain.class).args("hello").captureOutput().start()) {
            child.join();
            assertEquals(0, child.exitCode());
            List<String> out = child.output().lines().collect(Collectors.toList());
            List<String> err = child.errorOutput().lines().collect(Collectors.toList());
            assertEquals("args=[hello]", out.get(0));
            assertFalse(out.contains(EchoMain.STDERR_LINE), () -> "stdout: " + out);
            assertTrue(err.contains(EchoMain.STDERR_LINE), () -> "stderr: " + err);
            assertFalse(err.contains("args=[hello]"), () -> "stderr: " + err);
        }
    }

    @Test
    void shouldTimeOutJoiningARunningChildAndEndItWithTerminate() throws InterruptedException {
        try (JvmProcess child = JvmProcess.builder(SleepMain.class).args("60000", "sleeping").captureOutput().start()) {
            awaitTrue(() -> child.output().equals("sleeping\n"), EXIT_DEADLINE, () -> "not sleeping: " + child);
            // The daemon watchdog checked this JVM before main ran, and it keeps finding it alive:
            assertFalse(child.join(0, TimeUnit.SECONDS));
            assertFalse(child.join(Duration.ofMillis(-1)));
            assertFalse(child.join(200, TimeUnit.MILLISECONDS));
            assertTrue(child.isAlive());

            child.terminate();

            assertTrue(child.join(EXIT_DEADLINE));
            assertFalse(child.isAlive());
            assertNotEquals(0, child.exitCode());
        }
    }

    @Test
    void shouldEndAChildWithKill() throws InterruptedException {
        try (JvmProcess child = JvmProcess.start(SleepMain.class, "60000")) {
            child.kill();

            assertTrue(child.join(EXIT_DEADLINE));
            assertFalse(child.isAlive());
            assertNotEquals(0, child.exitCode());
        }
    }

    @Test
    void shouldKillARunningChildOnClose() {
        JvmProcess child = JvmProcess.start(SleepMain.class, "60000");
        try {
            assertTrue(child.isAlive());
        } finally {
            child.close();
        }
        assertFalse(child.isAlive());
        assertNotEquals(0, child.exitCode());
        child.close(); // again: a no-op
    }

    @Test
    void shouldPassArgumentsSystemPropertiesEnvironmentAndDirectory(@TempDir Path directory)
            throws InterruptedException, IOException {
        Path realDirectory = directory.toRealPath();
        JvmProcessBuilder builder = JvmProcess.builder(EchoMain.class)
                .args("one", "two words")
                .args(List.of(""))
                .systemProperty("echo.color", "blue")
                .systemProperty("echo.spaced", "a b  c")
                .systemProperty("echo.color", "green")
                .environment(EchoMain.ENVIRONMENT_VARIABLE, "from the parent")
                .directory(realDirectory)
                .captureOutput();
        try (JvmProcess child = builder.start()) {
            child.join();
            assertEquals(0, child.exitCode(), child::errorOutput);
            assertEquals("args=[one, two words, ]\n"
                    + "echo.color=green\n"
                    + "echo.spaced=a b  c\n"
                    + EchoMain.ENVIRONMENT_VARIABLE + "=from the parent\n"
                    + "user.dir=" + realDirectory + "\n", child.output());
        }
    }

    @Test
    void shouldStartWithOnlyTheGivenOptionsWhenInheritanceIsTurnedOff() throws InterruptedException {
        JvmProcessBuilder builder = JvmProcess.builder(EchoMain.class)
                .inheritJvmOptions(false)
                .jvmOptions("-Decho.extra=kept")
                .captureOutput();
        List<String> command = builder.command();
        assertEquals(List.of(JvmProcessBuilder.javaBinary().toString(), "-Decho.extra=kept", "-cp",
                System.getProperty("java.class.path"), ChildMain.class.getName(),
                Long.toString(ProcessHandle.current().pid()), Long.toString(ProcessLiveness.CURRENT_START),
                EchoMain.class.getName()), command);
        try (JvmProcess child = builder.start()) {
            child.join();
            assertTrue(child.output().lines().anyMatch("echo.extra=kept"::equals), child::output);
        }
    }

    @Test
    void shouldPassJnasLibraryDirectoriesOnSoTheChildNeedNotRunLdconfig() {
        com.sun.jna.NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME); // JNA computes the property
        String directories = System.getProperty(JvmProcessBuilder.JNA_PLATFORM_PATH);
        assertNotNull(directories, "JNA set the property when it loaded libc");
        JvmProcessBuilder builder = JvmProcess.builder(EchoMain.class).captureOutput();
        List<String> command = builder.command();
        assertEquals("-D" + JvmProcessBuilder.JNA_PLATFORM_PATH + "=" + directories, command.get(1),
                "right after the java binary, so that an option given or inherited overrides it");
        String given = "-D" + JvmProcessBuilder.JNA_PLATFORM_PATH + "=/opt/given";
        List<String> overridden = builder.jvmOptions(given).command();
        assertTrue(overridden.indexOf(given) > 1, "the given option comes later, and the last -D wins: " + overridden);
        List<String> bare = JvmProcess.builder(EchoMain.class).inheritJvmOptions(false).command();
        assertFalse(bare.stream().anyMatch(o -> o.startsWith("-D" + JvmProcessBuilder.JNA_PLATFORM_PATH)), bare::toString);
    }

    @Test
    void shouldPassNoParentToAChildThatIsNotADaemon() {
        JvmProcessBuilder builder = JvmProcess.builder("com.example.Main").inheritJvmOptions(false).daemon(false)
                .args("x");
        List<String> command = builder.command();
        assertEquals(List.of(ChildMain.class.getName(), "0", "-1", "com.example.Main", "x"),
                command.subList(command.size() - 5, command.size()));
    }

    @Test
    void shouldRefuseExitCodeWhileTheChildRuns() {
        try (JvmProcess child = JvmProcess.start(SleepMain.class, "60000")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, child::exitCode);
            assertEquals("process has not exited yet: pid=" + child.pid() + ", mainClass=" + SleepMain.class.getName(),
                    e.getMessage());
            assertEquals("JvmProcess[pid=" + child.pid() + ", mainClass=" + SleepMain.class.getName() + ", alive]",
                    child.toString());
        }
    }

    @Test
    void shouldDescribeAnExitedChild() throws InterruptedException {
        try (JvmProcess child = JvmProcess.start(ExitMain.class, "7")) {
            child.join();
            assertEquals("JvmProcess[pid=" + child.pid() + ", mainClass=" + ExitMain.class.getName()
                    + ", exitCode=7]", child.toString());
            assertEquals(ExitMain.class.getName(), child.mainClass());
            assertTrue(child.isDaemon());
        }
    }

    @Test
    void shouldRefuseOutputThatIsNotCaptured() throws InterruptedException {
        try (JvmProcess child = JvmProcess.start(ExitMain.class, "0")) {
            child.join();
            IllegalStateException out = assertThrows(IllegalStateException.class, child::output);
            assertEquals("output is not captured (see JvmProcessBuilder.captureOutput()): pid=" + child.pid()
                    + ", mainClass=" + ExitMain.class.getName(), out.getMessage());
            IllegalStateException err = assertThrows(IllegalStateException.class, child::errorOutput);
            assertEquals("error output is not captured (see JvmProcessBuilder.captureOutput()): pid=" + child.pid()
                    + ", mainClass=" + ExitMain.class.getName(), err.getMessage());
        }
    }

    @Test
    void shouldThrowInterruptedExceptionAndClearTheInterruptStatus() {
        try (JvmProcess child = JvmProcess.start(SleepMain.class, "60000")) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> child.join(10, TimeUnit.SECONDS));
            assertFalse(Thread.interrupted());
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, child::join);
            assertFalse(Thread.interrupted());
        }
    }

    @Test
    void shouldEndAChildWithExitCode1AndNameTheClassWhenTheMainClassIsMissing() throws InterruptedException {
        String missing = "io.interproc.core.testing.NoSuchMain";
        try (JvmProcess child = JvmProcess.builder(missing).captureOutput().start()) {
            child.join();
            assertEquals(1, child.exitCode());
            List<String> err = child.errorOutput().lines().collect(Collectors.toList());
            assertTrue(err.contains("Error: could not find or load main class: mainClass=" + missing), err::toString);
            assertTrue(err.contains("Caused by: java.lang.ClassNotFoundException: " + missing), err::toString);
            assertEquals("", child.output());
        }
    }

    @Test
    void shouldEndAChildWithExitCode1WhenTheClassHasNoMainMethod() throws InterruptedException {
        try (JvmProcess child = JvmProcess.builder(JvmProcessTest.class).captureOutput().start()) {
            child.join();
            assertEquals(1, child.exitCode());
            assertTrue(child.errorOutput().lines().anyMatch(("Error: main method not found: mainClass="
                    + JvmProcessTest.class.getName() + " (expected public static void main(String[] args))")::equals),
                    child::errorOutput);
        }
    }

    @Test
    void shouldEndAChildWithExitCode1AndPrintTheStackTraceWhenMainThrows() throws InterruptedException {
        try (JvmProcess child = JvmProcess.builder(ThrowMain.class).captureOutput().start()) {
            child.join();
            assertEquals(1, child.exitCode());
            List<String> err = child.errorOutput().lines().collect(Collectors.toList());
            assertTrue(err.contains("Exception in thread \"main\" java.lang.IllegalStateException: "
                    + ThrowMain.MESSAGE), err::toString);
            assertTrue(err.stream().anyMatch(line -> line.contains("at " + ThrowMain.class.getName() + ".main(")),
                    err::toString);
        }
    }

    @Test
    void shouldRedirectOutputAndErrorToFiles(@TempDir Path directory) throws InterruptedException, IOException {
        Path out = directory.resolve("out.txt");
        Path err = directory.resolve("err.txt");
        try (JvmProcess child = JvmProcess.builder(EchoMain.class).args("to a file")
                .redirectOutput(out).redirectError(err).start()) {
            child.join();
            assertEquals(0, child.exitCode());
        }
        assertEquals("args=[to a file]", Files.readAllLines(out, StandardCharsets.UTF_8).get(0));
        assertTrue(Files.readAllLines(err, StandardCharsets.UTF_8).contains(EchoMain.STDERR_LINE));
    }

    @Test
    void shouldRejectAMissingOrBlankMainClass() {
        IllegalArgumentException nullName = assertThrows(IllegalArgumentException.class,
                () -> JvmProcess.builder((String) null));
        assertEquals("main class must be a class name: mainClass=null", nullName.getMessage());
        IllegalArgumentException nullClass = assertThrows(IllegalArgumentException.class,
                () -> JvmProcess.builder((Class<?>) null));
        assertEquals("main class must be a class name: mainClass=null", nullClass.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> JvmProcess.builder(""));
        assertEquals("main class must be a class name: mainClass=''", empty.getMessage());
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class, () -> JvmProcess.builder(" \t"));
        assertEquals("main class must be a class name: mainClass=' \t'", blank.getMessage());
    }

    @Test
    void shouldRejectInvalidBuilderSettings() {
        JvmProcessBuilder builder = JvmProcess.builder(SleepMain.class);
        IllegalArgumentException property = assertThrows(IllegalArgumentException.class,
                () -> builder.systemProperty("a=b", "c"));
        assertEquals("system property name must be non-empty and without '=': name='a=b'", property.getMessage());
        IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
                () -> builder.systemProperty("a", null));
        assertEquals("system property value must not be null: name='a'", value.getMessage());
        IllegalArgumentException variable = assertThrows(IllegalArgumentException.class,
                () -> builder.environment("", "x"));
        assertEquals("environment variable name must be non-empty and without '=': name=''", variable.getMessage());
        IllegalArgumentException arg = assertThrows(IllegalArgumentException.class,
                () -> builder.args("a", null));
        assertEquals("args must not contain null: index=1", arg.getMessage());
    }

    @Test
    void shouldWrapAFailureToStartInAnInterprocException(@TempDir Path directory) {
        Path missing = directory.resolve("missing");
        JvmProcessBuilder builder = JvmProcess.builder(SleepMain.class).directory(missing);
        InterprocException e = assertThrows(InterprocException.class, builder::start);
        assertEquals("cannot start JVM: mainClass=" + SleepMain.class.getName() + ", directory=" + missing
                + ", command=" + builder.command(), e.getMessage());
        assertInstanceOf(IOException.class, e.getCause());
    }

    @Test
    void shouldLeaveDebuggerAndCoverageAgentsOut() {
        List<String> input = List.of(
                "-Xmx64m",
                "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=*:5005",
                "-Xrunjdwp:transport=dt_socket,server=y,suspend=n",
                "-Xdebug",
                "-agentpath:/opt/jdk/lib/libjdwp.so=transport=dt_socket",
                "-javaagent:/home/u/.m2/repository/org/jacoco/org.jacoco.agent/0.8.12/"
                        + "org.jacoco.agent-0.8.12-runtime.jar=destfile=/w/target/jacoco.exec",
                "-javaagent:/w/target/surefire/agent.jar",
                "-javaagent:/opt/agents/tracing.jar",
                "-Djava.class.path=/somewhere",
                "-Djdk.module.main=app",
                "-Dfoo=bar baz",
                "--add-opens=java.base/java.lang=ALL-UNNAMED");
        assertEquals(List.of("-Xmx64m", "-javaagent:/opt/agents/tracing.jar", "-Dfoo=bar baz",
                "--add-opens=java.base/java.lang=ALL-UNNAMED"),
                JvmProcessBuilder.inheritableJvmOptions(input, Map.of(), Map.of()));
    }

    @Test
    void shouldLeaveOutOptionsTheChildReadsFromItsEnvironment() {
        List<String> input = List.of("-Dtool=1", "-javaagent:/a.jar", "-Djdk=2", "-Dcmd=3", "-Dunder=4");
        Map<String, String> environment = Map.of("JAVA_TOOL_OPTIONS", " -Dtool=1  -javaagent:/a.jar ",
                "JDK_JAVA_OPTIONS", "-Djdk=2", "_JAVA_OPTIONS", "-Dunder=4");
        assertEquals(List.of("-Dcmd=3"), JvmProcessBuilder.inheritableJvmOptions(input, environment, environment));
        // A child whose environment says otherwise gets them passed explicitly.
        assertEquals(input, JvmProcessBuilder.inheritableJvmOptions(input, environment,
                Map.of("JAVA_TOOL_OPTIONS", "", "JDK_JAVA_OPTIONS", "-Dother=1")));
        // Options that do not match the variable's text (quoting, say) are kept: duplicated, never lost.
        assertEquals(input, JvmProcessBuilder.inheritableJvmOptions(input,
                Map.of("JAVA_TOOL_OPTIONS", "-Dtool=\"1\""), Map.of("JAVA_TOOL_OPTIONS", "-Dtool=\"1\"")));
    }

    @Test
    void shouldKillADaemonGrandchildWhenItsParentIsKilledWithSigkill() throws InterruptedException {
        long grandchildPid = -1;
        Optional<Instant> grandchildStart = Optional.empty();
        try (JvmProcess parent = JvmProcess.builder(SpawnDaemonMain.class).captureOutput().start()) {
            String line = awaitValue(() -> parent.output().lines()
                    .filter(l -> l.startsWith(SpawnDaemonMain.PID_PREFIX)).findFirst().orElse(null),
                    EXIT_DEADLINE, () -> "no grandchild pid from " + parent + "; stdout: " + parent.output()
                            + "; stderr: " + parent.errorOutput());
            grandchildPid = Long.parseLong(line.substring(SpawnDaemonMain.PID_PREFIX.length()));
            grandchildStart = ProcessHandle.of(grandchildPid).flatMap(h -> h.info().startInstant());
            assertTrue(grandchildStart.isPresent(), "grandchild not running: pid=" + grandchildPid);
            // The grandchild inherited the parent's standard output: once it prints, its main runs.
            awaitTrue(() -> parent.output().lines().anyMatch(SpawnDaemonMain.GRANDCHILD_LINE::equals), EXIT_DEADLINE,
                    () -> "grandchild not sleeping: stdout: " + parent.output() + "; stderr: " + parent.errorOutput());
            assertTrue(ProcessHandle.of(grandchildPid).map(ProcessHandle::isAlive).orElse(false));

            ProcessHandle.of(parent.pid()).orElseThrow().destroyForcibly(); // kill -9
            assertTrue(parent.join(EXIT_DEADLINE));

            long pid = grandchildPid;
            Instant start = grandchildStart.get();
            awaitTrue(() -> isGone(pid, start), Duration.ofSeconds(10),
                    () -> "grandchild still alive 10 s after its parent was killed: pid=" + pid);
        } finally {
            if (grandchildPid > 0) {
                Instant start = grandchildStart.orElse(null);
                ProcessHandle.of(grandchildPid)
                        .filter(h -> start == null || h.info().startInstant().map(start::equals).orElse(false))
                        .ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void shouldHaltADaemonChildWhoseParentIsGoneWhenItStarts() throws InterruptedException, IOException {
        long deadPid;
        try (JvmProcess exited = JvmProcess.start(ExitMain.class, "0")) {
            exited.join();
            deadPid = exited.pid();
        }
        // No process has the parent's pid any more.
        assertEquals(JvmProcess.PARENT_DIED_EXIT_CODE, runChildMain(deadPid, 0));
        // A process has the parent's pid but started at another time: the pid was reused.
        long otherStart = ProcessHandle.of(1).flatMap(h -> h.info().startInstant()).orElseThrow().toEpochMilli()
                - 60_000;
        assertEquals(JvmProcess.PARENT_DIED_EXIT_CODE, runChildMain(1, otherStart));
    }

    /** Runs the launcher by hand with the given parent, around a child that sleeps for 60 s. */
    private static int runChildMain(long parentPid, long parentStartMillis) throws InterruptedException, IOException {
        Process process = new ProcessBuilder(JvmProcessBuilder.javaBinary().toString(), "-cp",
                System.getProperty("java.class.path"), ChildMain.class.getName(), Long.toString(parentPid),
                Long.toString(parentStartMillis), SleepMain.class.getName(), "60000")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            assertTrue(process.waitFor(EXIT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
            return process.exitValue();
        } finally {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    // ---------------------------------------------------------------- helpers

    /** @return true if the process with that pid and start time no longer runs (a zombie counts as gone) */
    private static boolean isGone(long pid, Instant start) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return true;
        }
        if (!handle.get().info().startInstant().map(start::equals).orElse(true)) {
            return true; // the pid was reused
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return !Files.exists(Path.of("/proc", Long.toString(pid)));
        }
    }

    private static void awaitTrue(BooleanSupplier condition, Duration deadline, Supplier<String> failure)
            throws InterruptedException {
        awaitValue(() -> condition.getAsBoolean() ? Boolean.TRUE : null, deadline, failure);
    }

    private static <T> T awaitValue(Supplier<T> value, Duration deadline, Supplier<String> failure)
            throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            T result = value.get();
            if (result != null) {
                return result;
            }
            if (System.nanoTime() - end > 0) {
                throw new AssertionError(failure.get());
            }
            Thread.sleep(20);
        }
    }
}
