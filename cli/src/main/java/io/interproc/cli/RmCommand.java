package io.interproc.cli;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.NoSuchObjectException;
import io.interproc.core.ProcessInfo;
import io.interproc.core.Segment;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code interproc rm NAME [--force]}: removes a segment's file, unless a live process is attached
 * to it (exit 1) or it is too corrupt to tell (exit 3); {@code --force} removes it anyway.
 */
final class RmCommand implements Command {
    @Override
    public String name() {
        return "rm";
    }

    @Override
    public String synopsis() {
        return "rm NAME";
    }

    @Override
    public String summary() {
        return "remove a segment (refused while a live process is attached)";
    }

    @Override
    public String page() {
        return """
                Usage: interproc [--dir PATH] rm NAME [--force]

                Removes a segment's file. Refused (exit 1) while a live process is attached
                to it, and (exit 3) if the file is corrupt, since then nobody can tell;
                --force removes it anyway. Processes that have it open keep working on the
                removed file until they close it; a new segment of the same name is a new file.

                Options:
                  --force    remove it even if live processes are attached or it is corrupt
                """;
    }

    @Override
    public int run(Context context) {
        Arguments a = Arguments.parse(name(), context.args(), Set.of("--force"), false);
        String name = a.segmentName();
        boolean force = a.has("--force");
        Path dir = context.directory();
        Path path = dir.resolve(name);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw CliException.failed("segment '" + name + "' does not exist: path=" + path);
        }
        List<ProcessInfo> alive = List.of();
        try {
            alive = LiveProcesses.of(name, context.options());
        } catch (CorruptSegmentException e) {
            if (!force) {
                throw new CliException(Interproc.CORRUPT, "cannot tell whether segment '" + name
                        + "' is in use: " + e.getMessage() + "; use --force to remove it anyway");
            }
        } catch (NoSuchObjectException e) {
            throw CliException.failed(e.getMessage());
        }
        if (!alive.isEmpty() && !force) {
            throw CliException.failed("refusing to remove segment '" + name + "': " + LiveProcesses.describe(alive)
                    + "; use --force to remove it anyway");
        }
        if (!Segment.unlink(name, context.options())) {
            throw CliException.failed("segment '" + name + "' does not exist: path=" + path);
        }
        context.out().println("removed " + name + (alive.isEmpty() ? ""
                : "; " + LiveProcesses.describe(alive) + " keeps using it until it closes the segment"));
        return Interproc.OK;
    }
}
