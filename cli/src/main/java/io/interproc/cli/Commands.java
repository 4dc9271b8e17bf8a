package io.interproc.cli;

import io.interproc.core.CorruptSegmentException;
import io.interproc.core.Inspection;
import io.interproc.core.NoSuchObjectException;
import io.interproc.core.ObjectInfo;
import io.interproc.core.ProcessInfo;
import io.interproc.core.Segment;
import io.interproc.core.SegmentInfo;
import io.interproc.core.SegmentOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The four commands. Each returns its exit code or throws a {@link CliException}. */
final class Commands {
    /** Default refresh period of {@code inspect --watch}, in seconds. */
    static final String DEFAULT_WATCH_SECONDS = "2";
    /** Clears the screen and moves the cursor home (ANSI). */
    static final String CLEAR_SCREEN = "\u001b[H\u001b[2J";

    private final Interproc.Invocation inv;
    private final PrintStream out;
    private final int maxRefreshes;
    private final Path dir;
    private final SegmentOptions options;

    Commands(Interproc.Invocation inv, PrintStream out, int maxRefreshes) {
        this.inv = inv;
        this.out = out;
        this.maxRefreshes = maxRefreshes;
        this.dir = inv.directory();
        this.options = inv.options();
    }

    // ---------------------------------------------------------------- arguments

    /** A command's own arguments: flags, {@code --watch}'s optional value, positionals. */
    private static final class Args {
        final Set<String> flags = new LinkedHashSet<>();
        final List<String> positionals = new ArrayList<>();
        String watch;
        /** A number that followed --watch; it is the NAME instead if no other positional is given. */
        String watchOrName;

        static Args parse(String command, List<String> args, Set<String> allowedFlags, boolean watchAllowed) {
            Args a = new Args();
            boolean literal = false;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (literal) {
                    a.positionals.add(arg);
                } else if (arg.equals("--")) {
                    literal = true;
                } else if (watchAllowed && arg.equals("--watch")) {
                    a.watch = DEFAULT_WATCH_SECONDS;
                    if (i + 1 < args.size() && isNumber(args.get(i + 1))) {
                        a.watchOrName = args.get(++i);
                    }
                } else if (watchAllowed && arg.startsWith("--watch=")) {
                    a.watch = arg.substring("--watch=".length());
                } else if (allowedFlags.contains(arg)) {
                    a.flags.add(arg);
                } else if (arg.startsWith("-") && arg.length() > 1) {
                    throw CliException.usage(command, "unknown option '" + arg + "'");
                } else {
                    a.positionals.add(arg);
                }
            }
            if (a.watchOrName != null) {
                if (a.positionals.isEmpty()) {
                    a.positionals.add(a.watchOrName);
                } else {
                    a.watch = a.watchOrName;
                }
            }
            return a;
        }

        private static boolean isNumber(String s) {
            return s.matches("[0-9]+(\\.[0-9]+)?|\\.[0-9]+");
        }

        String name(String command) {
            if (positionals.isEmpty()) {
                throw CliException.usage(command, "missing segment NAME");
            }
            if (positionals.size() > 1) {
                throw CliException.usage(command, "unexpected argument '" + positionals.get(1) + "'");
            }
            String name = positionals.get(0);
            Interproc.checkName(command, name);
            return name;
        }

        void noPositionals(String command) {
            if (!positionals.isEmpty()) {
                throw CliException.usage(command, "unexpected argument '" + positionals.get(0) + "'");
            }
        }

        long watchMillis(String command) {
            String text = watch;
            BigDecimal seconds;
            try {
                seconds = new BigDecimal(text);
            } catch (NumberFormatException e) {
                throw CliException.usage(command, "--watch needs a number of SECONDS, not '" + text + "'");
            }
            if (seconds.compareTo(new BigDecimal("0.1")) < 0 || seconds.compareTo(new BigDecimal("86400")) > 0) {
                throw CliException.usage(command, "--watch SECONDS must be 0.1 to 86400, not '" + text + "'");
            }
            return seconds.movePointRight(3).longValue();
        }
    }

    // ---------------------------------------------------------------- ls

    int ls() {
        Args a = Args.parse("ls", inv.args(), Set.of("--json"), false);
        a.noPositionals("ls");
        checkDirectory();
        List<SegmentInfo> segments = Segment.list(dir);
        if (a.flags.contains("--json")) {
            List<Object> list = new ArrayList<>();
            for (SegmentInfo s : segments) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", s.name());
                m.put("path", s.path().toString());
                m.put("size", s.size());
                boolean ok = s.problem() == null;
                m.put("usedBytes", ok ? s.usedBytes() : null);
                m.put("processesAlive", ok ? s.processesAlive() : null);
                m.put("processesDead", ok ? s.processesDead() : null);
                m.put("creatorPid", ok ? s.creatorPid() : null);
                m.put("createdAt", ok ? instant(s.createdAtMillis()) : null);
                m.put("problem", s.problem());
                list.add(m);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("directory", dir.toString());
            doc.put("segments", list);
            out.println(Json.write(doc, true));
            return Interproc.OK;
        }
        if (segments.isEmpty()) {
            out.println("no segments in " + dir);
            return Interproc.OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "SIZE", "USED", "ALIVE", "DEAD", ""});
        for (SegmentInfo s : segments) {
            if (s.problem() == null) {
                rows.add(new String[] {s.name(), Interproc.bytes(s.size()), Interproc.bytes(s.usedBytes()),
                    String.valueOf(s.processesAlive()), String.valueOf(s.processesDead()), ""});
            } else {
                rows.add(new String[] {s.name(), Interproc.bytes(s.size()), "-", "-", "-", "unreadable: " + s.problem()});
            }
        }
        table(rows, Set.of(1, 2, 3, 4));
        return Interproc.OK;
    }

    /** Prints rows as aligned columns; the columns in {@code right} are right-aligned. */
    private void table(List<String[]> rows, Set<Integer> right) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                if (c > 0) {
                    line.append("  ");
                }
                String cell = row[c];
                String pad = " ".repeat(width[c] - cell.length());
                line.append(right.contains(c) ? pad + cell : cell + (c == columns - 1 ? "" : pad));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    // ---------------------------------------------------------------- inspect

    int inspect() {
        Args a = Args.parse("inspect", inv.args(), Set.of("--json"), true);
        String name = a.name("inspect");
        boolean json = a.flags.contains("--json");
        if (a.watch == null) {
            Snapshot snap;
            try (Segment view = openView(name)) {
                snap = snapshot(view);
            }
            out.print(json ? Json.write(snap.model, true) + "\n" : text(snap.model));
            return snap.corrupt ? Interproc.CORRUPT : Interproc.OK;
        }
        long period = a.watchMillis("inspect");
        Path path = dir.resolve(name);
        int code = Interproc.OK;
        // One read-only mapping for as long as the file stays the same: mapping it anew on every
        // refresh would pile up mappings until a garbage collection happens to free them.
        Segment view = null;
        Object viewedFile = null;
        try {
            for (int i = 0; i < maxRefreshes; i++) {
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
                    view = openView(name); // throws if the segment was removed
                    viewedFile = file;
                }
                Snapshot snap = snapshot(view);
                code = snap.corrupt ? Interproc.CORRUPT : Interproc.OK;
                if (json) {
                    out.println(Json.write(snap.model, false));
                } else {
                    out.print(CLEAR_SCREEN + "Every " + a.watch + "s: interproc inspect " + name + "    "
                            + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n\n" + text(snap.model));
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

    /** What inspect shows, as a JSON-ready model, and whether an object was found corrupt. */
    private record Snapshot(Map<String, Object> model, boolean corrupt) {
    }

    /** Opens a segment read-only without attaching; a missing one is exit code 1. */
    private Segment openView(String name) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            // Segment.inspect would create the directory: a look must change nothing.
            throw CliException.failed("segment '" + name + "' does not exist: path=" + dir.resolve(name));
        }
        try {
            return Segment.inspect(name, options);
        } catch (NoSuchObjectException e) {
            throw CliException.failed(e.getMessage());
        }
    }

    private Snapshot snapshot(Segment view) {
        String name = view.name();
        Map<String, Object> model = new LinkedHashMap<>();
        boolean corrupt = false;
        model.put("name", name);
        model.put("path", view.path().toString());
        model.put("size", view.size());
        model.put("usedBytes", view.usedBytes());
        SegmentInfo info = Segment.list(dir).stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
        model.put("creatorPid", info != null && info.problem() == null ? info.creatorPid() : null);
        model.put("createdAt", info != null && info.problem() == null ? instant(info.createdAtMillis()) : null);

        List<ProcessInfo> processes = new ArrayList<>(view.processes());
        processes.sort(Comparator.comparingInt(ProcessInfo::slot));
        List<Object> procs = new ArrayList<>();
        for (ProcessInfo p : processes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pid", p.pid());
            m.put("alive", p.alive());
            m.put("slot", p.slot());
            m.put("ownerId", p.ownerId());
            m.put("attachedAt", instant(p.attachedAtMillis()));
            procs.add(m);
        }
        model.put("processes", procs);

        List<ObjectInfo> objects = new ArrayList<>(view.objects());
        objects.sort(Comparator.comparing(ObjectInfo::name));
        List<Object> objs = new ArrayList<>();
        for (ObjectInfo o : objects) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", o.name());
            m.put("kind", o.kind().typeName());
            m.put("offset", o.offset());
            m.put("bytes", o.length());
            try {
                m.put("state", Inspection.describe(view, o));
            } catch (CorruptSegmentException e) {
                m.put("error", e.getMessage());
                corrupt = true;
            }
            objs.add(m);
        }
        model.put("objects", objs);
        return new Snapshot(model, corrupt);
    }

    @SuppressWarnings("unchecked")
    private static String text(Map<String, Object> model) {
        StringBuilder sb = new StringBuilder();
        long size = (Long) model.get("size");
        long used = (Long) model.get("usedBytes");
        sb.append("segment  ").append(model.get("name")).append('\n');
        sb.append("path     ").append(model.get("path")).append('\n');
        sb.append("size     ").append(Interproc.bytes(size)).append(", ").append(Interproc.bytes(used))
                .append(" used (").append(String.format(java.util.Locale.ROOT, "%.1f", 100.0 * used / size))
                .append("%)\n");
        if (model.get("createdAt") != null) {
            sb.append("created  ").append(model.get("createdAt")).append(" by pid ").append(model.get("creatorPid"))
                    .append('\n');
        }
        List<Map<String, Object>> procs = (List<Map<String, Object>>) model.get("processes");
        long alive = procs.stream().filter(p -> (Boolean) p.get("alive")).count();
        sb.append("\nprocesses: ").append(procs.size()).append(" attached (").append(alive).append(" alive, ")
                .append(procs.size() - alive).append(" dead)\n");
        if (!procs.isEmpty()) {
            int pidWidth = Math.max(3, procs.stream().mapToInt(p -> p.get("pid").toString().length()).max().orElse(3));
            sb.append("  ").append(pad("PID", pidWidth)).append("  STATE  SLOT  ATTACHED\n");
            for (Map<String, Object> p : procs) {
                sb.append("  ").append(pad(p.get("pid").toString(), pidWidth)).append("  ")
                        .append((Boolean) p.get("alive") ? "alive" : "dead ").append("  ")
                        .append(String.format("%4d", (Integer) p.get("slot"))).append("  ")
                        .append(p.get("attachedAt")).append('\n');
            }
        }
        List<Map<String, Object>> objs = (List<Map<String, Object>>) model.get("objects");
        sb.append("\nobjects: ").append(objs.size()).append('\n');
        for (Map<String, Object> o : objs) {
            sb.append("  ").append(o.get("kind")).append(" '").append(o.get("name")).append("'  (")
                    .append(Interproc.bytes(((Integer) o.get("bytes")).longValue())).append(")\n");
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
        return sb.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    // ---------------------------------------------------------------- rm

    int rm() {
        Args a = Args.parse("rm", inv.args(), Set.of("--force"), false);
        String name = a.name("rm");
        boolean force = a.flags.contains("--force");
        Path path = dir.resolve(name);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw CliException.failed("segment '" + name + "' does not exist: path=" + path);
        }
        List<ProcessInfo> alive = List.of();
        try {
            alive = aliveProcesses(name);
        } catch (CorruptSegmentException e) {
            if (!force) {
                throw new CliException(Interproc.CORRUPT, "cannot tell whether segment '" + name
                        + "' is in use: " + e.getMessage() + "; use --force to remove it anyway");
            }
        } catch (NoSuchObjectException e) {
            throw CliException.failed(e.getMessage());
        }
        if (!alive.isEmpty() && !force) {
            throw CliException.failed("refusing to remove segment '" + name + "': " + describeAlive(alive)
                    + "; use --force to remove it anyway");
        }
        if (!Segment.unlink(name, options)) {
            throw CliException.failed("segment '" + name + "' does not exist: path=" + path);
        }
        out.println("removed " + name + (alive.isEmpty() ? ""
                : "; " + describeAlive(alive) + " keeps using it until it closes the segment"));
        return Interproc.OK;
    }

    private List<ProcessInfo> aliveProcesses(String name) {
        try (Segment view = Segment.inspect(name, options)) {
            return view.processes().stream().filter(ProcessInfo::alive).collect(Collectors.toList());
        }
    }

    /** @return e.g. {@code 1 process alive (pid 123)}, {@code 2 processes alive (pids 123, 456)} */
    static String describeAlive(List<ProcessInfo> alive) {
        List<Long> pids = alive.stream().map(ProcessInfo::pid).distinct().sorted().collect(Collectors.toList());
        String list = pids.stream().map(String::valueOf).collect(Collectors.joining(", "));
        return pids.size() == 1 ? "1 process alive (pid " + list + ")"
                : pids.size() + " processes alive (pids " + list + ")";
    }

    // ---------------------------------------------------------------- gc

    int gc() {
        Args a = Args.parse("gc", inv.args(), Set.of("--dry-run"), false);
        a.noPositionals("gc");
        boolean dryRun = a.flags.contains("--dry-run");
        checkDirectory();
        List<SegmentInfo> segments = Segment.list(dir);
        int removable = 0;
        for (SegmentInfo s : segments) {
            if (s.problem() != null) {
                out.println("kept " + s.name() + ": unreadable: " + s.problem()
                        + " (remove it with 'interproc rm --force " + s.name() + "')");
                continue;
            }
            if (s.processesAlive() > 0) {
                out.println("kept " + s.name() + ": " + plural(s.processesAlive(), "process", "processes") + " alive");
                continue;
            }
            String why = s.processesDead() == 0 ? "no process attached"
                    : plural(s.processesDead(), "dead process", "dead processes") + " attached";
            removable++;
            if (dryRun) {
                out.println("would remove " + s.name() + " (" + why + ")");
                continue;
            }
            List<ProcessInfo> aliveNow;
            try {
                aliveNow = aliveProcesses(s.name()); // a process may have attached since the listing
            } catch (NoSuchObjectException gone) {
                continue;
            } catch (CorruptSegmentException e) {
                out.println("kept " + s.name() + ": unreadable: " + e.getMessage());
                continue;
            }
            if (!aliveNow.isEmpty()) {
                out.println("kept " + s.name() + ": " + describeAlive(aliveNow));
                continue;
            }
            if (Segment.unlink(s.name(), options)) {
                out.println("removed " + s.name() + " (" + why + ")");
            }
        }
        if (removable == 0) {
            out.println("nothing to remove in " + dir);
        }
        return Interproc.OK;
    }

    private static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    // ---------------------------------------------------------------- helpers

    /** A directory given with --dir must exist; the default one may not exist yet (no segments). */
    private void checkDirectory() {
        if (inv.explicitDirectory() && !Files.isDirectory(dir)) {
            throw CliException.failed("no such directory: " + dir);
        }
    }

    private static String instant(long epochMillis) {
        return epochMillis <= 0 ? null : Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
