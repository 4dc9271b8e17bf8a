package io.interproc.pool;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What the builder hands the pool: the class-data-sharing setting of its workers. */
class ProcessPoolBuilderTest {
    @Test
    void shouldStartWorkersFromASharedClassArchiveByDefault() {
        assertTrue(ProcessPool.builder().settings().classDataSharing());
        assertTrue(ProcessPool.builder().toString().contains("classDataSharing=true"));
    }

    @Test
    void shouldLetTheUserTurnClassDataSharingOff() {
        assertFalse(ProcessPool.builder().classDataSharing(false).settings().classDataSharing());
    }
}
