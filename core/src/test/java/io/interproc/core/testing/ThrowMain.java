package io.interproc.core.testing;

/** Child main for tests: throws {@link IllegalStateException} with the message {@value #MESSAGE}. */
public final class ThrowMain {
    /** The message of the exception thrown out of {@code main}. */
    public static final String MESSAGE = "thrown by ThrowMain: reason=test";

    private ThrowMain() {
    }

    /**
     * Called by the child JVM's launcher.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        throw new IllegalStateException(MESSAGE);
    }
}
