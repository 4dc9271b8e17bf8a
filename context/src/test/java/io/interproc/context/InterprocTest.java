package io.interproc.context;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.interproc.core.Segment;
import io.interproc.core.testing.TempSegments;

import java.util.concurrent.locks.Lock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class InterprocTest {
    @RegisterExtension
    final TempSegments segments = new TempSegments();

    @Test
    void redisWithoutTheRedisModuleSaysWhatIsMissing() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Interproc.redis("redis://127.0.0.1:1", "ns"));
        assertTrue(e.getMessage().contains("interproc-redis"), e.getMessage());
    }

    @Test
    void localRefusesAClosedSegmentAndAForeignLock() {
        Segment s = segments.create(1 << 20);
        Context ctx = Interproc.local(s);
        Lock foreign = new java.util.concurrent.locks.ReentrantLock();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ctx.condition("c", foreign));
        assertTrue(e.getMessage().contains("ReentrantLock"), e.getMessage());
        s.close();
        assertThrows(IllegalStateException.class, () -> Interproc.local(s));
    }
}
