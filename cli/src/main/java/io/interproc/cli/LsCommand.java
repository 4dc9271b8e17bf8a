package io.interproc.cli;

import io.interproc.core.Segment;
import io.interproc.core.SegmentInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code interproc ls [--json]}: lists the segments of the directory without attaching to any,
 * as a table or a JSON object. A file that is not a readable segment is listed with its problem.
 */
final class LsCommand implements Command {
    @Override
    public String name() {
        return "ls";
    }

    @Override
    public String synopsis() {
        return "ls";
    }

    @Override
    public String summary() {
        return "list every segment: size, bytes used, attached processes";
    }

    @Override
    public String page() {
        return """
                Usage: interproc [--dir PATH] ls [--json]

                Lists every segment in the directory, without attaching to any: its name, size,
                bytes allocated, and the attached processes found alive and dead (a dead one
                crashed or exited without closing the segment). A file that is not a readable
                segment is listed with the problem. Exits 0 even if some file is unreadable;
                exits 1 if a --dir given does not exist.

                Options:
                  --json    print a JSON object {"directory": ..., "segments": [...]}
                """;
    }

    @Override
    public int run(Context context) {
        Arguments a = Arguments.parse(name(), context.args(), Set.of("--json"), false);
        a.noPositionals();
        context.requireDirectory();
        List<SegmentInfo> segments = Segment.list(context.directory());
        if (a.has("--json")) {
            context.out().println(Json.write(json(context, segments), true));
        } else if (segments.isEmpty()) {
            context.out().println("no segments in " + context.directory());
        } else {
            table(segments).print(context.out());
        }
        return Interproc.OK;
    }

    private static Map<String, Object> json(Context context, List<SegmentInfo> segments) {
        List<Object> list = new ArrayList<>();
        for (SegmentInfo s : segments) {
            boolean ok = s.problem() == null;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("path", s.path().toString());
            m.put("size", s.size());
            m.put("usedBytes", ok ? s.usedBytes() : null);
            m.put("processesAlive", ok ? s.processesAlive() : null);
            m.put("processesDead", ok ? s.processesDead() : null);
            m.put("creatorPid", ok ? s.creatorPid() : null);
            m.put("createdAt", ok ? Format.instant(s.createdAtMillis()) : null);
            m.put("problem", s.problem());
            list.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("directory", context.directory().toString());
        doc.put("segments", list);
        return doc;
    }

    private static TableWriter table(List<SegmentInfo> segments) {
        TableWriter table = new TableWriter(Set.of(1, 2, 3, 4)).row("NAME", "SIZE", "USED", "ALIVE", "DEAD", "");
        for (SegmentInfo s : segments) {
            if (s.problem() == null) {
                table.row(s.name(), Format.bytes(s.size()), Format.bytes(s.usedBytes()),
                        String.valueOf(s.processesAlive()), String.valueOf(s.processesDead()), "");
            } else {
                table.row(s.name(), Format.bytes(s.size()), "-", "-", "-", "unreadable: " + s.problem());
            }
        }
        return table;
    }
}
