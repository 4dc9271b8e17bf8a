package io.interproc.cli;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.ObjectInfo;
import io.interproc.core.ProcessInfo;
import io.interproc.core.Segment;
import io.interproc.core.SegmentInfo;
import io.interproc.core.jmx.ObjectFigures;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code inspect} shows of one segment at one moment: a JSON-ready model (maps, lists,
 * strings, numbers) and its text rendering. The text is made from the model, so both always say
 * the same.
 *
 * @param model the segment's name, path, size, use and creator, its processes by slot and its
 *     objects by name, each with the state its module's inspector describes (or an error)
 * @param corrupt whether an object was found corrupt (its entry has an {@code error} instead of a
 *     {@code state})
 */
record SegmentReport(Map<String, Object> model, boolean corrupt) {
    /**
     * @param view a read-only view of the segment
     * @param dir its directory, listed for the creator's pid and creation time
     * @return the report
     */
    static SegmentReport of(Segment view, Path dir) {
        String name = view.name();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", name);
        model.put("path", view.path().toString());
        model.put("size", view.size());
        model.put("usedBytes", view.usedBytes());
        SegmentInfo info = Segment.list(dir).stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
        boolean listed = info != null && info.problem() == null;
        model.put("creatorPid", listed ? info.creatorPid() : null);
        model.put("createdAt", listed ? Format.instant(info.createdAtMillis()) : null);
        model.put("processes", processes(view));
        List<Object> objs = new ArrayList<>();
        boolean corrupt = objects(view, objs);
        model.put("objects", objs);
        return new SegmentReport(model, corrupt);
    }

    private static List<Object> processes(Segment view) {
        List<ProcessInfo> processes = new ArrayList<>(view.processes());
        processes.sort(Comparator.comparingInt(ProcessInfo::slot));
        List<Object> procs = new ArrayList<>();
        for (ProcessInfo p : processes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pid", p.pid());
            m.put("alive", p.alive());
            m.put("slot", p.slot());
            m.put("ownerId", p.ownerId());
            m.put("attachedAt", Format.instant(p.attachedAtMillis()));
            procs.add(m);
        }
        return procs;
    }

    /** Adds the objects, by name, to {@code objs}; @return whether one was corrupt */
    private static boolean objects(Segment view, List<Object> objs) {
        List<ObjectInfo> objects = new ArrayList<>(view.objects());
        objects.sort(Comparator.comparing(ObjectInfo::name));
        boolean corrupt = false;
        for (ObjectInfo o : objects) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", o.name());
            m.put("kind", o.kind().typeName());
            m.put("offset", o.offset());
            m.put("bytes", o.length());
            try {
                m.put("state", ObjectFigures.read(view, o).figures()); // what JMX and Micrometer show too
            } catch (CorruptSegmentException e) {
                m.put("error", e.getMessage());
                corrupt = true;
            }
            objs.add(m);
        }
        return corrupt;
    }

    /** @return the report as text: the segment, a table of processes, each object with its state */
    @SuppressWarnings("unchecked")
    String text() {
        StringBuilder sb = new StringBuilder();
        long size = (Long) model.get("size");
        long used = (Long) model.get("usedBytes");
        sb.append("segment  ").append(model.get("name")).append('\n');
        sb.append("path     ").append(model.get("path")).append('\n');
        sb.append("size     ").append(Format.bytes(size)).append(", ").append(Format.bytes(used))
                .append(" used (").append(String.format(Locale.ROOT, "%.1f", 100.0 * used / size))
                .append("%)\n");
        if (model.get("createdAt") != null) {
            sb.append("created  ").append(model.get("createdAt")).append(" by pid ").append(model.get("creatorPid"))
                    .append('\n');
        }
        processesText(sb, (List<Map<String, Object>>) model.get("processes"));
        objectsText(sb, (List<Map<String, Object>>) model.get("objects"));
        return sb.toString();
    }

    private static void processesText(StringBuilder sb, List<Map<String, Object>> procs) {
        long alive = procs.stream().filter(p -> (Boolean) p.get("alive")).count();
        sb.append("\nprocesses: ").append(procs.size()).append(" attached (").append(alive).append(" alive, ")
                .append(procs.size() - alive).append(" dead)\n");
        if (procs.isEmpty()) {
            return;
        }
        int pidWidth = Math.max(3, procs.stream().mapToInt(p -> p.get("pid").toString().length()).max().orElse(3));
        sb.append("  ").append(pad("PID", pidWidth)).append("  STATE  SLOT  ATTACHED\n");
        for (Map<String, Object> p : procs) {
            sb.append("  ").append(pad(p.get("pid").toString(), pidWidth)).append("  ")
                    .append((Boolean) p.get("alive") ? "alive" : "dead ").append("  ")
                    .append(String.format("%4d", (Integer) p.get("slot"))).append("  ")
                    .append(p.get("attachedAt")).append('\n');
        }
    }

    @SuppressWarnings("unchecked")
    private static void objectsText(StringBuilder sb, List<Map<String, Object>> objs) {
        sb.append("\nobjects: ").append(objs.size()).append('\n');
        for (Map<String, Object> o : objs) {
            sb.append("  ").append(o.get("kind")).append(" '").append(o.get("name")).append("'  (")
                    .append(Format.bytes(((Integer) o.get("bytes")).longValue())).append(")\n");
            if (o.containsKey("error")) {
                sb.append("      CORRUPT: ").append(o.get("error")).append('\n');
                continue;
            }
            Map<String, Object> state = (Map<String, Object>) o.get("state");
            int keyWidth = state.keySet().stream().mapToInt(String::length).max().orElse(0);
            for (Map.Entry<String, Object> e : state.entrySet()) {
                sb.append("      ").append(pad(e.getKey(), keyWidth)).append("  ").append(e.getValue()).append('\n');
            }
        }
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
