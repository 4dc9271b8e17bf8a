package io.interproc.chronicle;

import java.util.Arrays;
import java.util.Objects;

import net.openhft.chronicle.bytes.BytesMarshallable;

/** A test value that uses BytesMarshallable's default, reflective field marshalling. */
public final class Quote implements BytesMarshallable {
    private String venue;
    private long[] levels;
    private boolean firm;

    public Quote() {
    }

    public Quote(String venue, long[] levels, boolean firm) {
        this.venue = venue;
        this.levels = levels;
        this.firm = firm;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quote q && Objects.equals(q.venue, venue) && Arrays.equals(q.levels, levels)
                && q.firm == firm;
    }

    @Override
    public int hashCode() {
        return Objects.hash(venue, Arrays.hashCode(levels), firm);
    }

    @Override
    public String toString() {
        return "Quote[" + venue + " " + Arrays.toString(levels) + " " + firm + "]";
    }
}
