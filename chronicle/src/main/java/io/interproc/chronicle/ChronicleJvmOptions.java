package io.interproc.chronicle;

import java.util.List;

/**
 * The JVM options Chronicle Bytes needs on Java 17 and later (it reaches JDK internals for
 * off-heap memory, cleaners and field access), for starting child JVMs that use this module:
 * {@code JvmProcess.builder(Main.class).jvmOptions(ChronicleJvmOptions.REQUIRED.toArray(String[]::new))}.
 * interproc's library modules need none of them.
 */
public final class ChronicleJvmOptions {
    /** {@code --add-opens}/{@code --add-exports} options, for Java 17 to 25. */
    public static final List<String> REQUIRED = List.of(
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED");

    /**
     * {@code -Dchronicle.analytics.disable=true}: Chronicle Core otherwise tries to send anonymous
     * usage analytics and writes {@code ~/.chronicle.analytics.*} files. Not required; this
     * module's tests, its child JVMs and the harness's Chronicle peers set it.
     */
    public static final String NO_ANALYTICS = "-Dchronicle.analytics.disable=true";

    private ChronicleJvmOptions() {
    }
}
