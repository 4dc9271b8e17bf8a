package io.interproc.pool;

import io.interproc.core.InterprocException;

/**
 * Stands in for an exception thrown by a task in a {@link ProcessPool} worker JVM when that
 * exception itself could not be brought back: it was not serializable, or this JVM could not
 * deserialize it (its class is missing here, or the pool's class allow-list rejects it). It is the
 * cause of the {@link java.util.concurrent.ExecutionException} thrown by the task's future.
 *
 * <p>It carries what the worker knew: the original exception's class name
 * ({@link #remoteClassName()}) and message ({@link #remoteMessage()}); its own
 * {@link #getStackTrace() stack trace} is the worker's, frame for frame; and
 * {@link #remoteStackTrace()} holds the worker's full printed stack trace, causes and suppressed
 * exceptions included. Its message is {@code "<class>: <message>"}, as {@link Throwable#toString()}
 * of the original would read.
 */
public final class RemoteTaskException extends InterprocException {
    private static final long serialVersionUID = 1L;

    /** @serial binary name of the original exception's class */
    private final String remoteClassName;
    /** @serial the original exception's message, or {@code null} */
    private final String remoteMessage;
    /** @serial the worker's printed stack trace of the original exception */
    private final String remoteStackTrace;

    /**
     * Creates the stand-in; the pool does this, and so may anyone rebuilding a remote failure. The
     * stack trace is this constructor's until {@link #setStackTrace} replaces it.
     *
     * @param remoteClassName binary name of the original exception's class, not {@code null}
     * @param remoteMessage its message, or {@code null} if it had none
     * @param remoteStackTrace its printed stack trace as {@link Throwable#printStackTrace()} wrote it
     *     in the worker, not {@code null}
     */
    public RemoteTaskException(String remoteClassName, String remoteMessage, String remoteStackTrace) {
        super(remoteMessage == null ? String.valueOf(remoteClassName) : remoteClassName + ": " + remoteMessage);
        this.remoteClassName = String.valueOf(remoteClassName);
        this.remoteMessage = remoteMessage;
        this.remoteStackTrace = String.valueOf(remoteStackTrace);
    }

    /**
     * Any thread may call this.
     *
     * @return the binary class name of the exception the task threw in the worker
     */
    public String remoteClassName() {
        return remoteClassName;
    }

    /**
     * Any thread may call this.
     *
     * @return the message of the exception the task threw, or {@code null} if it had none
     */
    public String remoteMessage() {
        return remoteMessage;
    }

    /**
     * Any thread may call this.
     *
     * @return the worker's printed stack trace of the original exception, with its causes
     */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }
}
