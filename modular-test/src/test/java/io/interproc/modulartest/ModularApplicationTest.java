package io.interproc.modulartest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.ipc.queue.SharedQueue;
import io.interproc.sync.SharedLock;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles the application in {@code src/app/java} (its own {@code module-info.java} requires
 * {@code io.interproc.core}, {@code io.interproc.sync} and {@code io.interproc.ipc}) against the
 * interproc modules, and runs it in a child JVM with
 * {@code java --module-path <modules> -m io.interproc.modulartest/io.interproc.modulartest.Main},
 * with no {@code --add-opens} or {@code --add-exports}: what the application needs must be exported.
 *
 * <p>The module path is built from where this test's class path found each module (a jar, or the
 * module's {@code target/classes} in a reactor build), plus JNA ({@code com.sun.jna}, an automatic
 * module). Every interproc library must be a named module with its own {@code module-info.java}.
 */
class ModularApplicationTest {
    private static final String MODULE = "io.interproc.modulartest";
    private static final String MAIN = MODULE + "/" + MODULE + ".Main";

    /** A module of the application's module path, and a class the test's class path finds it by. */
    private record Library(String module, Class<?> anchor) {
    }

    private static final List<Library> LIBRARIES = List.of(
            new Library("io.interproc.core", Segment.class),
            new Library("io.interproc.sync", SharedLock.class),
            new Library("io.interproc.ipc", SharedQueue.class),
            new Library("io.interproc.pool", io.interproc.pool.ProcessPool.class),
            new Library("com.sun.jna", com.sun.jna.Native.class));

    @TempDir
    Path tmp;

    @Test
    void shouldRunAModularApplicationOnTheModulePathWithoutAddOpensOrAddExports() throws Exception {
        List<Path> modules = new ArrayList<>();
        for (Library library : LIBRARIES) {
            modules.add(modulePathEntry(library));
        }
        Path app = compileApplication(modules);
        modules.add(app);

        Path segments = Files.createDirectories(tmp.resolve("segments"));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", join(modules), "-m", MAIN, segments.toString(), "modular-app");
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(tmp.resolve("stderr.txt").toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the application did not exit within 60 s");
        String err = Files.readString(tmp.resolve("stderr.txt"));
        String context = String.join(" ", command) + "\n--- stdout\n" + out + "--- stderr\n" + err;

        assertEquals(0, process.exitValue(), context);
        assertEquals("took hello\napplication module " + MODULE + "\ncore module io.interproc.core\n", out, context);
        assertTrue(Files.notExists(segments.resolve("modular-app")), "the application removes its segment");
    }

    /**
     * @return the library's jar or exploded module
     * @throws AssertionError if an interproc library is not a named module (no module-info), or JNA
     *     does not have the module name the libraries require
     */
    private static Path modulePathEntry(Library library) throws URISyntaxException {
        Path location = Path.of(library.anchor().getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor descriptor = ModuleFinder.of(location).findAll().stream()
                .map(ModuleReference::descriptor).findFirst()
                .orElseThrow(() -> new AssertionError("no module at " + location));
        assertEquals(library.module(), descriptor.name(), "module name of " + location);
        if (library.module().startsWith("io.interproc.")) {
            assertTrue(!descriptor.isAutomatic(), library.module() + " has no module-info.java: " + location);
        }
        return location;
    }

    /** Compiles src/app/java against the modules; @return the exploded application module */
    private Path compileApplication(List<Path> modules) throws IOException {
        Path sources = Path.of(System.getProperty("basedir", ".")).resolve("src/app/java");
        Path classes = Files.createDirectories(tmp.resolve("app"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--module-path", join(modules),
                "-encoding", "UTF-8"));
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).sorted().forEach(args::add);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
        assertEquals(0, status, () -> "the application does not compile against the modules:\n"
                + diagnostics.toString(StandardCharsets.UTF_8));
        return classes;
    }

    private static String join(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }
}
