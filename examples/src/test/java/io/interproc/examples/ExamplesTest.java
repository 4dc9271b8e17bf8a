package io.interproc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.testing.ChildJvms;
import io.interproc.process.JvmProcess;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs every demo, small, in a child JVM (they start JVMs of their own) and checks what it verified. */
class ExamplesTest {
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    private String run(String... args) throws InterruptedException {
        JvmProcess p = children.start(Examples.class, args);
        ChildJvms.awaitSuccess(p, 180);
        return p.output();
    }

    @Test
    void shouldRunTheProducerConsumerDemo() throws Exception {
        String out = run("producer-consumer", "--messages", "20000", "--consumers", "2");
        assertTrue(out.contains("verified:  every message arrived exactly once, intact (missing 0, duplicated 0, corrupt 0)"),
                out);
        assertTrue(out.contains("moved      20,000 messages in "), out);
    }

    @Test
    void shouldRunTheCounterDemo() throws Exception {
        String out = run("counter", "--jvms", "2", "--increments", "20000");
        assertTrue(out.contains("lock    2 JVMs x 20,000 increments = 40,000 (expected 40,000) exact"), out);
        assertTrue(out.contains("atomic  2 JVMs x 20,000 increments = 40,000 (expected 40,000) exact"), out);
    }

    @Test
    void shouldRunThePipeDemo() throws Exception {
        assertTrue(run("pipe-ping-pong", "--rounds", "2000").contains("pipe round trip over 2,000 rounds: p50"));
    }

    @Test
    void shouldRunTheWorkerFleetDemo() throws Exception {
        String out = run("worker-fleet", "--workers", "2", "--jobs", "100");
        assertTrue(out.contains("sum of squares 338350 (correct)"), out);
        assertTrue(out.contains("stopped on the event, exit code 0"), out);
    }

    @Test
    void shouldRunTheOrderedStartupDemo() throws Exception {
        assertTrue(run("ordered-startup", "--services", "3")
                .contains("every service finished initialising before the action ran, and served only after it"));
    }

    @Test
    void shouldRunTheLockRecoveryDemo() throws Exception {
        assertTrue(run("lock-recovery").contains("lockRecovered()=true, recoveries()=1"));
    }

    @Test
    void shouldRunThePoolDemo() throws Exception {
        String out = run("pool", "--workers", "2");
        assertTrue(out.contains("the pool went on"), out);
        assertTrue(out.contains("have exited and the pool's segment is removed"), out);
    }

    @Test
    void shouldListTheDemos() throws Exception {
        JvmProcess p = children.start(Examples.class);
        ChildJvms.awaitSuccess(p, 60);
        assertTrue(p.errorOutput().contains("producer-consumer"), p.errorOutput());
    }

    @Test
    void shouldRunTheLoggingDemo() throws Exception {
        java.nio.file.Path log = java.nio.file.Files.createTempFile("interproc-logging-demo-test-", ".log");
        try {
            String out = run("logging", "--records", "1000", "--out", log.toString());
            assertTrue(out.contains("verified: every completed record is in the file exactly once, in order"), out);
            assertTrue(out.contains("killed worker 3"), out);
        } finally {
            java.nio.file.Files.deleteIfExists(log);
        }
    }
}
