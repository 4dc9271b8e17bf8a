package io.interproc.core.os;

import java.util.Locale;

/** The operating system and architecture this JVM runs on, as interproc's native calls need them. */
final class Machine {
    /** Whether this is Linux. */
    static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    /** Whether the architecture is x86_64. */
    static final boolean X86_64 = is("amd64", "x86_64");
    /** Whether the architecture is aarch64. */
    static final boolean AARCH64 = is("aarch64", "arm64");

    private Machine() {
    }

    private static boolean is(String... names) {
        String arch = System.getProperty("os.arch", "");
        for (String name : names) {
            if (arch.equals(name)) {
                return true;
            }
        }
        return false;
    }
}
