package io.interproc.logging;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Renders a throwable as the text a record carries. Stateless; any thread may call it. */
public final class StackTraces {
    private StackTraces() {
    }

    /**
     * @param t a throwable, or {@code null}
     * @return its stack trace as {@link Throwable#printStackTrace()} prints it (causes and
     *     suppressed ones included), {@code null} for {@code null}; if printing fails (a
     *     {@code toString()} that throws), what could be printed and why it stopped
     */
    public static String render(Throwable t) {
        if (t == null) {
            return null;
        }
        StringWriter out = new StringWriter();
        try (PrintWriter w = new PrintWriter(out)) {
            t.printStackTrace(w);
        } catch (RuntimeException | StackOverflowError e) {
            out.append("\n[stack trace could not be rendered: ").append(e.getClass().getName()).append(']');
        }
        return out.toString();
    }
}
