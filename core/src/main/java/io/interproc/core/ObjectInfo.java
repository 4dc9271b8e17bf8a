package io.interproc.core;

import io.interproc.core.spi.ObjectKind;

/**
 * One entry of a segment's directory, for inspection tools: a name, its kind and its bytes.
 *
 * @param name the object's name
 * @param kind the object's kind
 * @param offset the offset of its first byte in the segment
 * @param length the bytes allocated to it
 * @param createdAtMillis when it was created, epoch millis
 */
public record ObjectInfo(String name, ObjectKind kind, int offset, int length, long createdAtMillis) {
    @Override
    public String toString() {
        return kind + " '" + name + "' @" + offset + "+" + length;
    }
}
