package io.interproc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.interproc.core.children.CounterChild;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.process.JvmProcess;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Four JVMs race to open-or-create one segment and its objects, then increment: the totals are exact. */
class MultiProcessCounterTest {
    private static final int JVMS = 4;
    private static final int INCREMENTS = 1_000_000;

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    @Test
    void shouldCountExactlyAcrossFourJvms() throws Exception {
        String name = segments.newName();
        List<JvmProcess> jvms = new ArrayList<>();
        for (int i = 0; i < JVMS; i++) {
            jvms.add(children.start(CounterChild.class, name, String.valueOf(INCREMENTS), String.valueOf(JVMS)));
        }
        for (JvmProcess p : jvms) {
            ChildJvms.awaitSuccess(p, 120);
        }
        Segment s = segments.track(Segment.open(name));
        assertEquals((long) JVMS * INCREMENTS, SharedLong.open(s, "total").get());
        assertEquals((long) JVMS * INCREMENTS, SharedLongArray.open(s, "cells").get(3));
        assertEquals(0, SharedLongArray.open(s, "cells").get(2), "neighbouring elements untouched");
        assertEquals(3, s.objects().size(), "every JVM got the same three objects");
    }
}
