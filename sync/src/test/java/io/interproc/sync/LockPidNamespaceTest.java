package io.interproc.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A lock holder in another PID namespace (as in a container that shares only the segment
 * directory's tmpfs): its pid means nothing here, yet it is never robbed while it lives, and it
 * is recovered once it dies. Runs the holder under {@code unshare --pid --fork --mount-proc};
 * skipped with a message where unprivileged users may not do that.
 */
class LockPidNamespaceTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    private Process holder;

    @AfterEach
    void stopHolder() throws InterruptedException {
        if (holder != null) {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldNeverRobALiveHolderInAnotherPidNamespaceAndRecoverItOnceDead() throws Exception {
        assumeTrue(unshareWorks(), "unshare --pid --fork --mount-proc is not permitted here (needs root or user "
                + "namespaces); the PID-namespace test is skipped");
        Segment s = segments.create(1 << 20);
        SharedLock lock = SharedLock.create(s, "lock");
        SharedLong held = SharedLong.create(s, "held");
        holder = startInNewPidNamespace(s, LockHolderMain.class.getName(), s.name(), "lock", "1");
        ChildJvms.awaitCondition("the holder in its own PID namespace holds the lock", 60,
                () -> held.get() != 0 || !holder.isAlive());
        assertTrue(holder.isAlive(), "the holder died early");
        assertEquals(1, held.get(), "the holder is pid 1 of its namespace");
        assertTrue(lock.isLocked());

        // pid 1 here is init, alive; a pid-based check could only guess. The lock test does not.
        assertFalse(lock.tryLock(2, TimeUnit.SECONDS), "a live holder in another PID namespace is robbed");
        assertTrue(lock.isLocked());
        assertEquals(0, lock.recoveries());

        holder.destroyForcibly(); // SIGKILL to unshare; --kill-child takes the JVM inside with it
        assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        assertTrue(lock.tryLock(30, TimeUnit.SECONDS), "the dead holder's lock is recovered");
        try {
            assertTrue(lock.lockRecovered());
            assertEquals(1, lock.recoveries());
        } finally {
            lock.unlock();
        }
    }

    private static boolean unshareWorks() {
        try {
            Process p = new ProcessBuilder("unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "true")
                    .redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static Process startInNewPidNamespace(Segment s, String mainClass, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of("unshare", "--pid", "--fork", "--kill-child",
                "--mount-proc", java, "-D" + "interproc.dir=" + s.path().getParent(), "-cp",
                System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }
}
