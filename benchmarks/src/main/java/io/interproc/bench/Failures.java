package io.interproc.bench;

import io.interproc.process.JvmProcess;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the harness words a run that gave no figure: a peer missing on this machine (Agrona not
 * loadable) or a failure, with the exit code and the telling line of the peer's stderr.
 */
final class Failures {
    private Failures() {
    }

    /** A figure for a run that did not produce one: "missing" if Agrona cannot load, else failed. */
    static Figure absent(String impl, String reason, List<PeerSpec> specs) {
        boolean agrona = specs.stream().anyMatch(PeerSpec::agrona);
        if (agrona && (reason.contains("NoClassDefFoundError") || reason.contains("ClassNotFoundException"))
                && reason.toLowerCase(Locale.ROOT).contains("agrona")) {
            return Figure.missing(impl, "Agrona not loadable: " + reason);
        }
        return Figure.failed(impl, reason);
    }

    /** @return the peer's exit state and the telling line of its stderr */
    static String reason(JvmProcess p) {
        String exit;
        try {
            exit = p.isAlive() ? "still running" : "exit code " + p.exitCode();
        } catch (RuntimeException e) {
            exit = e.getMessage();
        }
        String err = "";
        try {
            err = lastLines(p.errorOutput());
        } catch (RuntimeException ignored) {
            // not captured
        }
        return exit + (err.isEmpty() ? "" : ": " + err);
    }

    /** @return the first exception line of a stderr text, else its last line */
    static String lastLines(String text) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.toList());
        for (String l : lines) {
            if (l.contains("Exception") || l.contains("Error")) {
                return l;
            }
        }
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
