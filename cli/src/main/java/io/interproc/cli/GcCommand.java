package io.interproc.cli;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.NoSuchObjectException;
import io.interproc.core.ProcessInfo;
import io.interproc.core.Segment;
import io.interproc.core.SegmentInfo;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * {@code interproc gc [--dry-run]}: removes every segment no live process is attached to, saying
 * for each segment what it did and why. Unreadable files are kept. A segment the listing found
 * removable is checked again just before it is removed, since a process may have attached since.
 */
final class GcCommand implements Command {
    @Override
    public String name() {
        return "gc";
    }

    @Override
    public String synopsis() {
        return "gc";
    }

    @Override
    public String summary() {
        return "remove every segment no live process is attached to";
    }

    @Override
    public String page() {
        return """
                Usage: interproc [--dir PATH] gc [--dry-run]

                Removes every segment whose attached processes are all dead, or that has none
                attached, and says which it removed and which it kept and why. Segments with a
                live process, and files that are not readable segments, are kept (remove the
                latter with 'interproc rm --force NAME'). Each segment is checked again just
                before it is removed.

                Options:
                  --dry-run    only say what would be removed
                """;
    }

    @Override
    public int run(Context context) {
        Arguments a = Arguments.parse(name(), context.args(), Set.of("--dry-run"), false);
        a.noPositionals();
        boolean dryRun = a.has("--dry-run");
        context.requireDirectory();
        PrintStream out = context.out();
        int removable = 0;
        for (SegmentInfo s : Segment.list(context.directory())) {
            if (s.problem() != null) {
                out.println("kept " + s.name() + ": unreadable: " + s.problem()
                        + " (remove it with 'interproc rm --force " + s.name() + "')");
                continue;
            }
            if (s.processesAlive() > 0) {
                out.println("kept " + s.name() + ": " + Format.plural(s.processesAlive(), "process", "processes")
                        + " alive");
                continue;
            }
            String why = s.processesDead() == 0 ? "no process attached"
                    : Format.plural(s.processesDead(), "dead process", "dead processes") + " attached";
            removable++;
            if (dryRun) {
                out.println("would remove " + s.name() + " (" + why + ")");
            } else {
                remove(context, s.name(), why);
            }
        }
        if (removable == 0) {
            out.println("nothing to remove in " + context.directory());
        }
        return Interproc.OK;
    }

    /** Removes a segment the listing found removable, unless a process has attached since. */
    private static void remove(Context context, String name, String why) {
        PrintStream out = context.out();
        List<ProcessInfo> aliveNow;
        try {
            aliveNow = LiveProcesses.of(name, context.options());
        } catch (NoSuchObjectException gone) {
            return;
        } catch (CorruptSegmentException e) {
            out.println("kept " + name + ": unreadable: " + e.getMessage());
            return;
        }
        if (!aliveNow.isEmpty()) {
            out.println("kept " + name + ": " + LiveProcesses.describe(aliveNow));
            return;
        }
        if (Segment.unlink(name, context.options())) {
            out.println("removed " + name + " (" + why + ")");
        }
    }
}
