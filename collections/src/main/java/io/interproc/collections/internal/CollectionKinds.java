package io.interproc.collections.internal;

import io.interproc.core.spi.ObjectKind;

/** The kinds the collections module owns (codes 64–79): each type's entry in a segment's directory. */
public final class CollectionKinds {
    /** {@code SharedMap}. */
    public static final ObjectKind MAP = ObjectKind.define(64, "SharedMap");
    /** {@code SharedList}: a list header followed by the map holding its elements. */
    public static final ObjectKind LIST = ObjectKind.define(65, "SharedList");
    /** {@code SharedNamespace}: a map of attribute names to tagged values. */
    public static final ObjectKind NAMESPACE = ObjectKind.define(66, "SharedNamespace");

    private CollectionKinds() {
    }
}
