package io.interproc.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.interproc.core.Segment;
import io.interproc.core.SharedLong;
import io.interproc.core.testing.ChildJvms;
import io.interproc.core.testing.TempSegments;
import io.interproc.process.JvmProcess;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Four JVMs each do 200,000 non-atomic read-modify-writes (read, then write + 1) of one SharedLong
 * under a shared lock: the total is exact only if the lock excludes across processes.
 */
class LockMultiProcessTest {
    private static final int JVMS = 4;
    private static final int UPDATES = 200_000;

    @RegisterExtension
    final TempSegments segments = new TempSegments();
    @RegisterExtension
    final ChildJvms children = new ChildJvms();

    @Test
    void shouldCountExactlyUnderASharedLockAcrossFourJvms() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedLock lock = SharedLock.create(s, "lock");
        SharedLong counter = count(s, "lock");
        assertEquals((long) JVMS * UPDATES, counter.get());
        assertFalse(lock.isLocked());
        assertEquals(0, lock.recoveries());
    }

    @Test
    void shouldCountExactlyUnderASharedReentrantLockTakenTwicePerUpdateAcrossFourJvms() throws Exception {
        Segment s = segments.create(1 << 20);
        SharedReentrantLock lock = SharedReentrantLock.create(s, "lock");
        SharedLong counter = count(s, "reentrant");
        assertEquals((long) JVMS * UPDATES, counter.get());
        assertFalse(lock.isLocked());
        assertEquals(0, lock.recoveries());
    }

    private SharedLong count(Segment s, String kind) throws InterruptedException {
        SharedLong counter = SharedLong.create(s, "counter");
        SharedLong.create(s, "ready");
        List<JvmProcess> jvms = new ArrayList<>();
        for (int i = 0; i < JVMS; i++) {
            jvms.add(children.start(LockCounterMain.class, s.name(), kind, String.valueOf(UPDATES),
                    String.valueOf(JVMS)));
        }
        for (JvmProcess p : jvms) {
            ChildJvms.awaitSuccess(p, 180);
        }
        return counter;
    }
}
