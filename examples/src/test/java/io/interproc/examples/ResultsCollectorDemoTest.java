package io.interproc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.testing.ChildJvms;
import io.interproc.process.JvmProcess;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the results-collector demo, small, in a child JVM and checks what it verified. */
class ResultsCollectorDemoTest {
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    @Test
    void shouldCollectEveryResultExactlyOnce() throws Exception {
        JvmProcess p = children.start(Examples.class, "results-collector", "--workers", "2", "--tasks", "100");
        ChildJvms.awaitSuccess(p, 180);
        String out = p.output();
        assertTrue(out.contains("results list: 100 of 100 tasks (duplicates or wrong 0); worker counts add up to 100;"
                + " sum of squares 328350 (expected 328350)"), out);
        assertTrue(out.contains("verified: every result collected exactly once"), out);
    }
}
