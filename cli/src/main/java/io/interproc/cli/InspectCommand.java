package io.interproc.cli;

import io.interproc.core.NoSuchObjectException;
import io.interproc.core.Segment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * {@code interproc inspect NAME [--json] [--watch [SECONDS]]}: shows a segment, its processes and
 * its objects' states (a {@link SegmentReport}) without attaching to it. Once, or with
 * {@code --watch} every SECONDS until interrupted. Exits 3 if an object is corrupt.
 */
final class InspectCommand implements Command {
    /** Clears the screen and moves the cursor home (ANSI); {@code --watch} prints it before each text report. */
    static final String CLEAR_SCREEN = "\u001b[H\u001b[2J";

    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public String synopsis() {
        return "inspect NAME";
    }

    @Override
    public String summary() {
        return "show every object of a segment with its state, and the\nprocesses attached to it";
    }

    @Override
    public String page() {
        return """
                Usage: interproc [--dir PATH] inspect NAME [--json] [--watch [SECONDS]]

                Shows a segment without attaching to it (it maps the file read-only and takes
                no process slot): its size and use, the attached processes (pid, alive or
                dead), and every named object with its kind and state, as its module
                describes it (lock owners and waiters, queue counts, pipe ends, values...).
                Exits 3 if the segment or one of its objects is corrupt (the other objects
                are still shown).

                Options:
                  --json               print a JSON object instead of text
                  --watch [SECONDS]    refresh every SECONDS (default 2) until interrupted
                                       (Ctrl-C), clearing the screen; with --json, print one
                                       JSON object per line instead. --watch=SECONDS also works.
                A NAME that starts with '-' goes after '--': interproc inspect -- -odd-name
                """;
    }

    @Override
    public int run(Context context) {
        Arguments a = Arguments.parse(name(), context.args(), Set.of("--json"), true);
        String name = a.segmentName();
        boolean json = a.has("--json");
        if (!a.watching()) {
            SegmentReport report;
            try (Segment view = openView(context, name)) {
                report = SegmentReport.of(view, context.directory());
            }
            context.out().print(json ? Json.write(report.model(), true) + "\n" : report.text());
            return report.corrupt() ? Interproc.CORRUPT : Interproc.OK;
        }
        return watch(context, name, a, json);
    }

    /** Prints a report every period, {@link Context#maxRefreshes} times, or until interrupted. */
    private static int watch(Context context, String name, Arguments a, boolean json) {
        long period = a.watchMillis();
        PrintStream out = context.out();
        Path path = context.directory().resolve(name);
        int code = Interproc.OK;
        // One read-only mapping for as long as the file stays the same: mapping it anew on every
        // refresh would pile up mappings until a garbage collection happens to free them.
        Segment view = null;
        Object viewedFile = null;
        try {
            for (int i = 0; i < context.maxRefreshes(); i++) {
                if (i > 0) {
                    try {
                        Thread.sleep(period);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return code;
                    }
                }
                Object file = fileKey(path);
                if (view == null || file == null || !file.equals(viewedFile)) {
                    if (view != null) {
                        view.close();
                        view = null;
                    }
                    view = openView(context, name); // throws if the segment was removed
                    viewedFile = file;
                }
                SegmentReport report = SegmentReport.of(view, context.directory());
                code = report.corrupt() ? Interproc.CORRUPT : Interproc.OK;
                if (json) {
                    out.println(Json.write(report.model(), false));
                } else {
                    out.print(CLEAR_SCREEN + "Every " + a.watchText() + "s: interproc inspect " + name + "    "
                            + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n\n" + report.text());
                }
                out.flush();
            }
        } finally {
            if (view != null) {
                view.close();
            }
        }
        return code;
    }

    /** @return the file's identity (device and inode), or {@code null} if it is gone or has none */
    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Opens a segment read-only without attaching; a missing one is exit code 1. */
    private static Segment openView(Context context, String name) {
        Path dir = context.directory();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            // Segment.inspect would create the directory: a look must change nothing.
            throw CliException.failed("segment '" + name + "' does not exist: path=" + dir.resolve(name));
        }
        try {
            return Segment.inspect(name, context.options());
        } catch (NoSuchObjectException e) {
            throw CliException.failed(e.getMessage());
        }
    }
}
