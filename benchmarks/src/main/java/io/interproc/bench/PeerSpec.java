package io.interproc.bench;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A peer JVM to start: its main class ({@link Peer} or {@link AgronaPeer}), the kind of work it
 * does, its index among the run's peers (its counter in {@link Control}) and its parameters.
 * {@link JvmRuns#start} passes {@code kind segment index params...} as its arguments.
 */
record PeerSpec(Class<?> main, String kind, int index, List<String> params) {
    static PeerSpec of(Class<?> main, String kind, int index, Object... params) {
        return new PeerSpec(main, kind, index, Arrays.stream(params).map(String::valueOf).collect(Collectors.toList()));
    }

    /** @return whether this is an Agrona peer, which gets {@link JvmRuns#agronaOptions()} */
    boolean agrona() {
        return main == AgronaPeer.class;
    }
}
