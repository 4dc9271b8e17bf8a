package io.interproc.process;

import io.interproc.core.InterprocException;
import io.interproc.core.segment.ProcessLiveness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Configures and starts a child JVM; obtained from {@link JvmProcess#builder(Class)} or
 * {@link JvmProcess#builder(String)}.
 *
 * <pre>{@code
 * JvmProcess child = JvmProcess.builder(Worker.class)
 *         .args("--queue", "jobs")
 *         .jvmOptions("-Xmx256m")
 *         .systemProperty("worker.id", "3")
 *         .captureOutput()
 *         .start();
 * }</pre>
 *
 * <p>The child's command line is {@code <java.home>/bin/java}, this JVM's options (unless
 * {@link #inheritJvmOptions(boolean) turned off}), the {@link #jvmOptions(String...) extra
 * options}, the {@link #systemProperty(String, String) system properties} as {@code -Dname=value},
 * {@code -cp <java.class.path>}, then the launcher {@code ChildMain} with this JVM's pid and start
 * time (for the daemon watchdog), the main class and the {@link #args(String...) arguments}.
 * Later options win over earlier ones, as on any {@code java} command line. Only the class path
 * is passed on; a JVM started from the module path alone cannot start children.
 *
 * <p>Not thread-safe: one thread configures a builder. A builder may be reused; each
 * {@link #start()} starts a new child from the settings at that moment.
 */
public final class JvmProcessBuilder {
    private static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";
    private static final String JDK_JAVA_OPTIONS = "JDK_JAVA_OPTIONS";
    private static final String UNDERSCORE_JAVA_OPTIONS = "_JAVA_OPTIONS";

    /** Where a child's standard output or error goes. */
    private enum Output { INHERIT, CAPTURE, FILE }

    private final String mainClass;
    private final List<String> args = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private boolean inheritJvmOptions = true;
    private boolean classDataSharing;
    private String classPath;
    private Path archiveDirectory;
    private boolean daemon = true;
    private Path directory;
    private Output stdout = Output.INHERIT;
    private Output stderr = Output.INHERIT;
    private Path stdoutFile;
    private Path stderrFile;

    /** @param mainClass the class the child runs; see {@link JvmProcess#builder(String)} */
    JvmProcessBuilder(String mainClass) {
        if (mainClass == null || mainClass.isBlank()) {
            throw new IllegalArgumentException("main class must be a class name: mainClass="
                    + (mainClass == null ? "null" : "'" + mainClass + "'"));
        }
        this.mainClass = mainClass;
    }

    /**
     * Appends program arguments, passed to the child's {@code main} as they are (no shell is
     * involved). The configuring thread may call this.
     *
     * @param args arguments, none {@code null}
     * @return this builder
     */
    public JvmProcessBuilder args(String... args) {
        return args(Arrays.asList(args));
    }

    /**
     * Appends program arguments, passed to the child's {@code main} as they are. The configuring
     * thread may call this.
     *
     * @param args arguments, none {@code null}
     * @return this builder
     */
    public JvmProcessBuilder args(List<String> args) {
        this.args.addAll(nonNullElements(args, "args"));
        return this;
    }

    /**
     * Appends JVM options such as {@code -Xmx256m} or {@code --add-opens=...}; they come after
     * the inherited ones, so they win where the two disagree. The configuring thread may call
     * this.
     *
     * @param options options, none {@code null}
     * @return this builder
     */
    public JvmProcessBuilder jvmOptions(String... options) {
        this.jvmOptions.addAll(nonNullElements(Arrays.asList(options), "jvmOptions"));
        return this;
    }

    /**
     * Whether the child gets this JVM's options, as reported by
     * {@link java.lang.management.RuntimeMXBean#getInputArguments()}: true by default. Left out
     * in any case are debugger agents ({@code -agentlib:jdwp}, {@code -Xrunjdwp}, {@code -Xdebug}),
     * whose port the child could not bind, surefire's and JaCoCo's {@code -javaagent}s, the
     * launcher-internal {@code -Djava.class.path} and {@code -Djdk.module.main}, and options that
     * came from the {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS} or {@code _JAVA_OPTIONS}
     * environment variables when the child's environment holds the same value (the child's JVM
     * reads them again). With inheritance on, the child also gets this JVM's
     * {@code jna.platform.library.path} once JNA has computed it (the system library directories,
     * which JNA otherwise finds by running {@code ldconfig -p} at every start); an option given
     * here or inherited overrides it. The configuring thread may call this.
     *
     * @param inherit false to start the child with only the options given to this builder
     * @return this builder
     */
    public JvmProcessBuilder inheritJvmOptions(boolean inherit) {
        this.inheritJvmOptions = inherit;
        return this;
    }

    /**
     * Whether children share one dynamic class-data archive (AppCDS) of their class path: false by
     * default. When true, the first child started with a class path writes the archive as it exits
     * normally, and every later child maps the classes it loads at start-up from it instead of
     * loading and verifying them again, which shortens its start. The archive is kept per JDK and
     * class path (any changed jar gives a new one) in {@code <java.io.tmpdir>/interproc-cds-<uid>}
     * (system property {@code interproc.cds.directory} to move it); the child ignores an archive
     * that does not match it. Nothing is done when the class path holds a directory (the JVM
     * archives jars only) or the child's options already set {@code -Xshare},
     * {@code -XX:SharedArchiveFile} or {@code -XX:ArchiveClassesAtExit}. The child's output gets no
     * archive messages. The configuring thread may call this.
     *
     * @param share true to use and create the archive
     * @return this builder
     */
    public JvmProcessBuilder classDataSharing(boolean share) {
        this.classDataSharing = share;
        return this;
    }

    /** Test hook: the child's class path instead of this JVM's. */
    JvmProcessBuilder classPath(String classPath) {
        this.classPath = classPath;
        return this;
    }

    /** Test hook: the class-data archive directory instead of the default one. */
    JvmProcessBuilder archiveDirectory(Path directory) {
        this.archiveDirectory = directory;
        return this;
    }

    /**
     * Sets a system property of the child ({@code -Dname=value}); setting a name again replaces
     * its value. The configuring thread may call this.
     *
     * @param name property name, not empty
     * @param value property value, not {@code null} (may be empty)
     * @return this builder
     */
    public JvmProcessBuilder systemProperty(String name, String value) {
        systemProperties.put(checkEntry("system property", name, value), value);
        return this;
    }

    /**
     * Sets an environment variable of the child, which otherwise gets this JVM's environment.
     * The configuring thread may call this.
     *
     * @param name variable name, not empty
     * @param value its value, not {@code null} (may be empty)
     * @return this builder
     */
    public JvmProcessBuilder environment(String name, String value) {
        environment.put(checkEntry("environment variable", name, value), value);
        return this;
    }

    /**
     * Sets the child's working directory; by default this JVM's. The configuring thread may call
     * this.
     *
     * @param directory an existing directory, or {@code null} for this JVM's
     * @return this builder
     */
    public JvmProcessBuilder directory(Path directory) {
        this.directory = directory;
        return this;
    }

    /**
     * Whether the child dies with this JVM, even when this JVM is killed with SIGKILL: true by
     * default (see {@link JvmProcess}). A child that is not a daemon runs on until it exits by
     * itself. The configuring thread may call this.
     *
     * @param daemon false to let the child outlive this JVM
     * @return this builder
     */
    public JvmProcessBuilder daemon(boolean daemon) {
        this.daemon = daemon;
        return this;
    }

    /**
     * Sends the child's standard output and error to this JVM's (the default), undoing
     * {@link #captureOutput()} and the redirections. The configuring thread may call this.
     *
     * @return this builder
     */
    public JvmProcessBuilder inheritIO() {
        stdout = Output.INHERIT;
        stderr = Output.INHERIT;
        stdoutFile = null;
        stderrFile = null;
        return this;
    }

    /**
     * Collects the child's standard output and error in memory, each on its own thread, for
     * {@link JvmProcess#output()} and {@link JvmProcess#errorOutput()}. The buffers grow without
     * bound: for a chatty child prefer {@link #redirectOutput(Path)}. The configuring thread may
     * call this.
     *
     * @return this builder
     */
    public JvmProcessBuilder captureOutput() {
        stdout = Output.CAPTURE;
        stderr = Output.CAPTURE;
        stdoutFile = null;
        stderrFile = null;
        return this;
    }

    /**
     * Writes the child's standard output to a file, replacing its content. The configuring
     * thread may call this.
     *
     * @param file the file; its directory must exist
     * @return this builder
     */
    public JvmProcessBuilder redirectOutput(Path file) {
        stdoutFile = Objects.requireNonNull(file, "file");
        stdout = Output.FILE;
        return this;
    }

    /**
     * Writes the child's standard error to a file, replacing its content. The configuring thread
     * may call this.
     *
     * @param file the file; its directory must exist
     * @return this builder
     */
    public JvmProcessBuilder redirectError(Path file) {
        stderrFile = Objects.requireNonNull(file, "file");
        stderr = Output.FILE;
        return this;
    }

    /**
     * Starts the child JVM. The configuring thread may call this; it returns once the operating
     * system has created the process, without waiting for the child's {@code main} to run.
     *
     * @return the running child
     * @throws InterprocException if the process cannot be started (the message holds the
     *     command; the cause is the {@link IOException})
     * @throws IllegalStateException if this JVM has no class path, or is shutting down and the
     *     child is a daemon
     */
    public JvmProcess start() {
        ClassDataArchive.Plan sharing = null;
        if (classDataSharing) {
            sharing = ClassDataArchive.plan(classPath(), command(List.of()),
                    archiveDirectory != null ? archiveDirectory : ClassDataArchive.defaultDirectory());
        }
        List<String> command = command(sharing == null ? List.of() : sharing.options());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.redirectOutput(redirect(stdout, stdoutFile));
        builder.redirectError(redirect(stderr, stderrFile));
        if (daemon) {
            JvmProcess.DaemonChildren.ensureHook(mainClass);
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            if (sharing != null) {
                sharing.childExited();
            }
            throw new InterprocException("cannot start JVM: mainClass=" + mainClass + ", directory="
                    + (directory == null ? System.getProperty("user.dir") : directory) + ", command=" + command, e);
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // The child's standard input is meant to be at its end; it is, one way or the other.
        }
        if (sharing != null) {
            process.onExit().thenRun(sharing::childExited);
        }
        return new JvmProcess(process, mainClass, daemon, stdout == Output.CAPTURE, stderr == Output.CAPTURE);
    }

    private static ProcessBuilder.Redirect redirect(Output output, Path file) {
        switch (output) {
            case CAPTURE:
                return ProcessBuilder.Redirect.PIPE;
            case FILE:
                return ProcessBuilder.Redirect.to(file.toFile());
            default:
                return ProcessBuilder.Redirect.INHERIT;
        }
    }

    /** @return the command line {@link #start()} would run now, class-data sharing aside */
    List<String> command() {
        return command(List.of());
    }

    private String classPath() {
        return classPath != null ? classPath : System.getProperty("java.class.path", "");
    }

    /**
     * @param sharingOptions the class-data-sharing options, placed after every other JVM option
     * @return the command line
     */
    private List<String> command(List<String> sharingOptions) {
        String classPath = classPath();
        if (classPath.isEmpty()) {
            throw new IllegalStateException("cannot start a child JVM without a class path: java.class.path='"
                    + classPath + "' (a JVM started from the module path alone is not supported)");
        }
        List<String> command = new ArrayList<>();
        command.add(javaBinary().toString());
        if (inheritJvmOptions) {
            String jnaPath = System.getProperty(JNA_PLATFORM_PATH);
            if (jnaPath != null) { // first: an option given or inherited below overrides it
                command.add("-D" + JNA_PLATFORM_PATH + "=" + jnaPath);
            }
            Map<String, String> childEnvironment = new LinkedHashMap<>(System.getenv());
            childEnvironment.putAll(environment);
            command.addAll(inheritableJvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments(),
                    System.getenv(), childEnvironment));
        }
        command.addAll(jvmOptions);
        systemProperties.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.addAll(sharingOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(ChildMain.class.getName());
        command.add(Long.toString(daemon ? ProcessLiveness.CURRENT_PID : 0));
        command.add(Long.toString(daemon ? ProcessLiveness.CURRENT_START : -1));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /**
     * The system library directories JNA computes once per JVM, running {@code ldconfig -p} in a
     * child process unless this property is set: passed on, so a child JVM's start skips that
     * fork and exec (some 15–50 ms of a pool worker's start here).
     */
    static final String JNA_PLATFORM_PATH = "jna.platform.library.path";

    /** @return {@code <java.home>/bin/java}, the binary of the running JVM */
    static Path javaBinary() {
        return Paths.get(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * The options of this JVM that a child should be started with (see
     * {@link #inheritJvmOptions(boolean)}).
     *
     * @param inputArguments this JVM's options, in order
     * @param parentEnvironment this JVM's environment
     * @param childEnvironment the child's environment
     * @return the options to pass on, in order
     */
    static List<String> inheritableJvmOptions(List<String> inputArguments, Map<String, String> parentEnvironment,
            Map<String, String> childEnvironment) {
        List<String> options = new ArrayList<>(inputArguments);
        // The JVM lists JAVA_TOOL_OPTIONS first and _JAVA_OPTIONS last; the launcher inserts
        // JDK_JAVA_OPTIONS before the command line's options. Where the child will read the same
        // variable, its options must not be passed twice (an agent would load twice).
        List<String> tool = rereadOptions(JAVA_TOOL_OPTIONS, parentEnvironment, childEnvironment);
        if (!tool.isEmpty() && options.subList(0, Math.min(tool.size(), options.size())).equals(tool)) {
            options.subList(0, tool.size()).clear();
        }
        List<String> underscore = rereadOptions(UNDERSCORE_JAVA_OPTIONS, parentEnvironment, childEnvironment);
        int tail = options.size() - underscore.size();
        if (!underscore.isEmpty() && tail >= 0 && options.subList(tail, options.size()).equals(underscore)) {
            options.subList(tail, options.size()).clear();
        }
        List<String> jdk = rereadOptions(JDK_JAVA_OPTIONS, parentEnvironment, childEnvironment);
        if (!jdk.isEmpty() && options.subList(0, Math.min(jdk.size(), options.size())).equals(jdk)) {
            options.subList(0, jdk.size()).clear();
        }
        options.removeIf(JvmProcessBuilder::isNotInheritable);
        return options;
    }

    private static List<String> rereadOptions(String variable, Map<String, String> parentEnvironment,
            Map<String, String> childEnvironment) {
        String value = parentEnvironment.get(variable);
        if (value == null || value.isBlank() || !value.equals(childEnvironment.get(variable))) {
            return Collections.emptyList();
        }
        return Arrays.asList(value.trim().split("\\s+"));
    }

    private static boolean isNotInheritable(String option) {
        return option.startsWith("-agentlib:jdwp")
                || option.startsWith("-Xrunjdwp")
                || option.equals("-Xdebug")
                || (option.startsWith("-agentpath:") && option.contains("jdwp"))
                || (option.startsWith("-javaagent:") && (option.contains("jacoco") || option.contains("surefire")))
                || option.startsWith("-Djava.class.path=")
                || option.startsWith("-Djdk.module.main=");
    }

    private static List<String> nonNullElements(List<String> values, String name) {
        Objects.requireNonNull(values, name);
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new IllegalArgumentException(name + " must not contain null: index=" + i);
            }
        }
        return values;
    }

    /** @return the configuration, for diagnostics */
    @Override
    public String toString() {
        return "JvmProcessBuilder[mainClass=" + mainClass + ", args=" + args + ", jvmOptions=" + jvmOptions
                + ", systemProperties=" + systemProperties + ", environment=" + environment.keySet()
                + ", inheritJvmOptions=" + inheritJvmOptions + ", classDataSharing=" + classDataSharing + ", daemon=" + daemon
                + ", directory=" + directory
                + ", stdout=" + (stdout == Output.FILE ? stdoutFile : stdout)
                + ", stderr=" + (stderr == Output.FILE ? stderrFile : stderr) + "]";
    }

    /** @return {@code name}, checked to be a usable {@code name=value} pair of the given sort */
    private static String checkEntry(String what, String name, String value) {
        if (name == null || name.isEmpty() || name.indexOf('=') >= 0) {
            throw new IllegalArgumentException(what + " name must be non-empty and without '=': name="
                    + (name == null ? "null" : "'" + name + "'"));
        }
        if (value == null) {
            throw new IllegalArgumentException(what + " value must not be null: name='" + name + "'");
        }
        return name;
    }
}
