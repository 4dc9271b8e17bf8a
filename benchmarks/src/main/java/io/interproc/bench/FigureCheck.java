package io.interproc.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The harness's {@code --check}: every figure present (a peer missing on this machine, with its
 * reason, counts as present; a failed run does not) and both report files written. Prints
 * {@code CHECK OK: …} or {@code CHECK FAILED: …} with the problems. Never judges speed.
 */
final class FigureCheck {
    private FigureCheck() {
    }

    /**
     * @param out the results folder
     * @param base the dated report's name without extension
     * @return the exit status: 0 when complete, else 1
     */
    static int check(List<Scenario> scenarios, Path out, String base) {
        List<String> problems = new ArrayList<>();
        int figures = 0;
        for (Scenario s : scenarios) {
            for (Figure f : Stream.concat(Stream.of(s.ours()), s.peers().stream()).collect(Collectors.toList())) {
                figures++;
                if (f.absence() != null) {
                    if (f.failed()) {
                        problems.add(s.id() + " / " + f.impl() + ": FAILED: " + f.absence());
                    }
                } else if (!f.present()) {
                    problems.add(s.id() + " / " + f.impl() + ": no figure");
                }
            }
        }
        if (scenarios.isEmpty()) {
            problems.add("no scenario ran");
        }
        for (String file : List.of(base + ".md", "latest.md")) {
            if (!Files.isRegularFile(out.resolve(file))) {
                problems.add("not written: " + out.resolve(file));
            }
        }
        if (problems.isEmpty()) {
            System.out.println("CHECK OK: " + figures + " figures present in " + scenarios.size() + " scenarios");
            return 0;
        }
        System.out.println("CHECK FAILED: " + problems.size() + " of " + figures + " figures missing");
        problems.forEach(p -> System.out.println("  " + p));
        return 1;
    }
}
