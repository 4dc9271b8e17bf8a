package io.interproc.core.spi;

import io.interproc.core.memory.SharedBuffer;

/**
 * Writes the initial state of a new object into its freshly allocated, zero-filled region. Runs
 * once, in the creating process, before the object's directory entry is published as READY, so
 * everything it writes is visible to every process that opens the object.
 */
@FunctionalInterface
public interface ObjectInitializer {
    /** Leaves an all-zero region as it is. */
    ObjectInitializer ZERO = (buffer, offset, length) -> { };

    /**
     * @param buffer the segment's mapping
     * @param offset first byte of the object
     * @param length bytes allocated to the object
     */
    void initialize(SharedBuffer buffer, int offset, int length);
}
